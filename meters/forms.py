from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ebok.files import sniff_upload
from ebok.numbers import DecimalField
from meters.models import PHOTO_TYPES, Meter, SelfReading
from meters.selectors import largest_monthly_consumption

MAX_PHOTO_BYTES = 5 * 1024 * 1024


class SelfReadingForm(forms.Form):
    value = DecimalField(
        label=_("Wskazanie licznika"),
        help_text=_("Przepisz liczbę z wyświetlacza licznika, z przecinkiem, np. 1234,567."),
        max_digits=14,
        decimal_places=3,
        min_value=Decimal(0),
        error_messages={
            "required": _("Podaj wskazanie licznika."),
            "invalid": _("Wpisz wskazanie jako liczbę, np. 1234,567."),
            "max_decimal_places": _("Wpisz najwyżej trzy cyfry po przecinku, np. 1234,567."),
            "max_digits": _("Wpisz wskazanie jako liczbę, np. 1234,567."),
            "max_whole_digits": _("Wpisz wskazanie jako liczbę, np. 1234,567."),
        },
    )
    photo = forms.FileField(
        label=_("Zdjęcie licznika (nieobowiązkowe)"),
        help_text=_("Plik JPEG lub PNG, najwyżej 5 MB."),
        required=False,
    )

    def __init__(self, *args, meter: Meter, last_value: Decimal | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meter = meter
        self.last_value = last_value
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.fields["photo"].widget.attrs.update({"accept": "image/jpeg,image/png"})

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("Zdjęcie jest większe niż 5 MB."), code="too_big")
        # Judged by the file's first bytes, never by its name or declared type.
        if sniff_upload(photo, PHOTO_TYPES) is None:
            raise forms.ValidationError(_("Zdjęcie musi być plikiem JPEG lub PNG."), code="not_image")
        return photo

    def clean_value(self):
        value = self.cleaned_data["value"]
        if self.last_value is not None and value < self.last_value:
            raise forms.ValidationError(
                _("Wskazanie nie może być mniejsze niż ostatni odczyt (%(last)s).")
                % {"last": f"{self.last_value:.3f}".replace(".", ",")},
                code="below_last",
            )
        if self.last_value is not None:
            largest = largest_monthly_consumption(self.meter)
            limit = largest * Decimal(settings.EBOK_SELF_READING_MAX_MULTIPLE)
            if largest > 0 and value - self.last_value > limit:
                raise forms.ValidationError(
                    _(
                        "To wskazanie oznacza zużycie %(used)s od ostatniego odczytu, ponad %(multiple)s razy więcej "
                        "niż największe dotąd zużycie w miesiącu. Sprawdź liczbę; jeśli jest dobra, "
                        "zgłoś odczyt przez Biuro Obsługi Klienta."
                    )
                    % {
                        "used": f"{value - self.last_value:.3f}".replace(".", ","),
                        "multiple": settings.EBOK_SELF_READING_MAX_MULTIPLE,
                    },
                    code="implausible",
                )
        if SelfReading.objects.filter(meter=self.meter, status=SelfReading.Status.PENDING).exists():
            raise forms.ValidationError(
                _("Na ten licznik czeka już Twój odczyt. Poczekaj, aż go rozpatrzymy."), code="pending"
            )
        return value
