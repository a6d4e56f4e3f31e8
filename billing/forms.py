from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import Document, OtherDocument
from billing.selectors import Status


class FilterForm(forms.Form):
    """A small GET form of a list page, laid out in one row.

    Its fields render through Django's own field template (``{{ form.rok.as_field_group }}``,
    templates/forms/filter_field.html) with Bootstrap's classes on the widgets: the same markup
    crispy-forms gives, at a fraction of the cost of crispy's templates per field (bench/).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "forms/filter_field.html"
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


def _year_choices(years: list[int]) -> list[tuple[str, str]]:
    return [("", _("wszystkie lata"))] + [(str(y), str(y)) for y in years]


class PaymentsFilterForm(FilterForm):
    rok = forms.TypedChoiceField(label=_("Rok"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rok"].choices = _year_choices(years)
        self.fields["status"].choices = [("", _("wszystkie"))] + [(s, Status.LABELS[s]) for s in Status.FILTERABLE]


DOCUMENT_KINDS = list(Document.Kind.choices) + list(OtherDocument.Kind.choices)


class DocumentsFilterForm(FilterForm):
    rodzaj = forms.ChoiceField(label=_("Rodzaj"), required=False)
    rok = forms.TypedChoiceField(label=_("Rok"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rok"].choices = _year_choices(years)
        self.fields["rodzaj"].choices = [("", _("wszystkie"))] + DOCUMENT_KINDS


def date_field(label) -> forms.DateField:
    """An optional date, picked the same way on every form: the browser's date picker (sent as
    2026-11-24), or typed as 24.11.2026 where there is no picker."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Wpisz datę w postaci RRRR-MM-DD.")},
    )


class ZipPeriodForm(FilterForm):
    """The period for "Pobierz wszystkie": a year, or a date range."""

    prefix = "zip"  # shares the documents page with the filter form: no duplicate ids

    rok = forms.IntegerField(
        label=_("Rok"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _("Wpisz rok czterema cyframi, np. 2026."),
            "min_value": _("Wpisz rok czterema cyframi, np. 2026."),
            "max_value": _("Wpisz rok czterema cyframi, np. 2026."),
        },
    )
    od = date_field(_("Od dnia"))
    do = date_field(_("Do dnia"))

    def clean(self):
        data = super().clean()
        if not data.get("rok") and not (data.get("od") and data.get("do")):
            raise forms.ValidationError(_("Wybierz rok albo podaj obie daty okresu."), code="no_period")
        if data.get("od") and data.get("do") and data["od"] > data["do"]:
            self.add_error(
                "do", forms.ValidationError(_("Data początkowa jest późniejsza niż końcowa."), code="bad_range")
            )
        return data

    def period(self):
        import datetime as dt

        data = self.cleaned_data
        if data.get("od") and data.get("do"):
            return data["od"], data["do"]
        return dt.date(data["rok"], 1, 1), dt.date(data["rok"], 12, 31)
