"""Numbers as customers type them: one reader for every decimal a form accepts.

The portal prints "4 506,900" (groups of three split by a non-breaking space, a decimal comma), so
whatever it prints must be accepted back, as well as a plain "4506.9" typed on a phone.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms

# Whole part: plain digits, or groups of three after a first group of one to three digits.
_NUMBER = re.compile(r"^(\d{1,3}(?: \d{3})+|\d+)(?:[,.](\d+))?$")
# Spaces of any kind a copy-and-paste brings: ordinary, non-breaking, narrow non-breaking, thin.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")


def parse_typed_decimal(text: str, *, places: int | None = None) -> Decimal | None:
    """``4 506,900``, ``4 506,900`` (with a non-breaking space), ``4506.9`` → Decimal; else None.

    Either decimal separator; spaces only between groups of three digits; with ``places``, no more
    decimal digits than that. Lenient on purpose, for forms; the billing export's numbers are read
    strictly by billing.validators.parse_export_decimal.
    """
    text = _SPACES.sub(" ", text).strip()
    match = _NUMBER.match(text)
    if not match:
        return None
    whole, fraction = match.groups()
    if places is not None and fraction and len(fraction) > places:
        return None
    try:
        return Decimal(f"{whole.replace(' ', '')}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


class DecimalField(forms.DecimalField):
    """A DecimalField that reads what a customer types through ``parse_typed_decimal``.

    A text input, not type="number": browsers refuse "4 506,900" in a number input before the
    form is even sent.
    """

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            number = parse_typed_decimal(value)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return number
        return super().to_python(value)
