from django import forms
from django.utils.translation import gettext_lazy as _


class PayForm(forms.Form):
    """The documents to pay now: any of the customer's open documents not being paid already."""

    dokument = forms.MultipleChoiceField(
        label=_("Dokumenty do zapłaty"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Zaznacz co najmniej jeden dokument do zapłaty."),
            "invalid_choice": _("Dokument %(value)s jest już opłacony albo jego płatność jest w toku."),
        },
    )

    def __init__(self, *args, payable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dokument"].choices = [(s.document.number, s.document.number) for s in payable]
