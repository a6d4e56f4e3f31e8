"""Forms for cases: a new case, a reply, the advanced search, and the attachments field they share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.forms import date_field
from billing.models import DeliveryPoint
from cases.models import Case, CaseType
from ebok.files import sniff_upload

MAX_FILES = 5
MAX_FILE_SIZE = 10 * 1024 * 1024

FILES_LOST = _(
    "Pozostałe dane formularza zostały zachowane, ale ze względów bezpieczeństwa przeglądarka "
    "nie pamięta wybranych plików: wybierz je ponownie."
)


def _files_hint() -> str:
    return gettext("Pliki PDF, JPEG lub PNG, najwyżej %(count)s plików po %(size)s MB każdy.") % {
        "count": MAX_FILES,
        "size": MAX_FILE_SIZE // (1024 * 1024),
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five PDF, JPEG or PNG files of at most 10 MB each; each refusal names the file."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Załączniki"))
        # Lazy: the field is built when the form class is, long before a request picks a language.
        kwargs.setdefault("help_text", lazy(_files_hint, str)())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png")

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Można dołączyć najwyżej %(count)s plików, wybrano %(chosen)s. %(lost)s"),
                code="too_many",
                params={"count": MAX_FILES, "chosen": len(files), "lost": FILES_LOST},
            )
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload.size > MAX_FILE_SIZE:
                errors.append(
                    ValidationError(
                        _("Plik „%(name)s” ma %(size)s, a można dołączyć najwyżej 10 MB."),
                        code="too_big",
                        params={"name": upload.name, "size": filesizeformat(upload.size)},
                    )
                )
            elif sniff_upload(upload) is None:  # a PDF, JPEG or PNG by its content
                errors.append(
                    ValidationError(
                        _("Plik „%(name)s” nie jest plikiem PDF, JPEG ani PNG."),
                        code="bad_type",
                        params={"name": upload.name},
                    )
                )
        if errors:
            errors.append(ValidationError(FILES_LOST, code="files_lost"))
            raise ValidationError(errors)
        return files


class CaseForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Typ sprawy"),
        queryset=CaseType.objects.filter(is_active=True),
        empty_label=_("— wybierz —"),
        error_messages={"required": _("Wybierz typ sprawy."), "invalid_choice": _("Wybierz typ sprawy z listy.")},
    )
    subject = forms.CharField(
        label=_("Temat"),
        max_length=200,
        help_text=_("Krótko, czego dotyczy sprawa."),
        error_messages={
            "required": _("Wpisz temat sprawy."),
            "max_length": _("Temat może mieć najwyżej %(limit_value)d znaków (ma %(show_value)d)."),
        },
    )
    body = forms.CharField(
        label=_("Treść wiadomości"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Opisz sprawę. Jeśli dotyczy faktury, podaj jej numer."),
        error_messages={
            "required": _("Wpisz treść wiadomości."),
            "max_length": _("Wiadomość może mieć najwyżej %(limit_value)d znaków (ma %(show_value)d)."),
        },
    )
    delivery_point = forms.ModelChoiceField(
        label=_("Punkt odbioru (opcjonalnie)"),
        queryset=DeliveryPoint.objects.none(),
        required=False,
        empty_label=_("— nie dotyczy punktu odbioru —"),
        error_messages={"invalid_choice": _("Wybierz punkt odbioru z listy.")},
    )
    attachments = AttachmentsField()
    refers_to = forms.ModelChoiceField(
        queryset=Case.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Nie znaleziono sprawy, której ma dotyczyć nowa sprawa.")},
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the customer's own points and cases can be chosen; anything else is an invalid choice.
        self.fields["delivery_point"].queryset = DeliveryPoint.objects.filter(customer=customer)
        self.fields["delivery_point"].label_from_instance = lambda p: f"{p.code}: {p.address}"
        self.fields["refers_to"].queryset = Case.objects.filter(customer=customer)
        self.fields["subject"].widget.attrs["autocomplete"] = "off"
        # What each type covers, in plain words, under the list ("Ekonomiczne: faktury, płatności, umowa").
        described = [t for t in self.fields["type"].queryset if t.description]
        self.fields["type"].help_text = format_html_join(
            "", '<span class="d-block">{}: {}</span>', ((str(t), t.description_text) for t in described)
        )
        if not self.fields["delivery_point"].queryset.exists():
            del self.fields["delivery_point"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Odpowiedź"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Wpisz treść odpowiedzi."),
            "max_length": _("Wiadomość może mieć najwyżej %(limit_value)d znaków (ma %(show_value)d)."),
        },
    )
    attachments = AttachmentsField()


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Szukane słowa"),
        required=False,
        max_length=200,
        help_text=_("Słowa z tematu lub treści wiadomości, np. reklamacja."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("— dowolny —")), *Case.Status.choices]
    )
    type = forms.ModelChoiceField(
        label=_("Typ sprawy"), queryset=CaseType.objects.all(), required=False, empty_label=_("— dowolny —")
    )
    date_from = date_field(_("Wysłana od"))
    date_to = date_field(_("Wysłana do"))
    delivery_point = forms.ModelChoiceField(
        label=_("Punkt odbioru"),
        queryset=DeliveryPoint.objects.none(),
        required=False,
        empty_label=_("— dowolny —"),
        error_messages={"invalid_choice": _("Wybierz punkt odbioru z listy.")},
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_point"].queryset = DeliveryPoint.objects.filter(customer=customer)
        self.fields["delivery_point"].label_from_instance = lambda p: f"{p.code}: {p.address}"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Data „do” nie może być wcześniejsza niż data „od”."))
        return data
