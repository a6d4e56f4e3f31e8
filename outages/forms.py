from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.forms import FilterForm


class PublicFilterForm(FilterForm):
    """The public list's filter: a town from the list, and part of a street's name."""

    miejscowosc = forms.ChoiceField(label=_("Miejscowość"), required=False)
    ulica = forms.CharField(
        label=_("Ulica"),
        required=False,
        max_length=100,
        help_text=_("Wystarczy część nazwy, np. Mickiew."),
    )

    def __init__(self, *args, towns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["miejscowosc"].choices = [("", _("wszystkie"))] + [(t, t) for t in towns]
        self.fields["ulica"].widget.attrs["autocomplete"] = "address-line1"
