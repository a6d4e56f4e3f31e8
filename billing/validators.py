"""Checks and parsers for the billing export's formats (docs/billing-export.md).

Each parser takes the raw text of a cell and returns the Python value or raises ValueError
with a translated, plain-language reason. Other apps reuse them (amounts, NRB formatting).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils.translation import gettext as _

# ASCII digits only and matched with fullmatch: Python's \d takes any script's digits and its $
# a trailing newline, which a quoted CSV cell may hold. The import's PostgreSQL path applies the
# same rules in SQL (billing/import_sql.py), so these must stay as strict as its patterns.
_DIGITS = re.compile(r"[0-9]+")
_POSTAL_CODE = re.compile(r"[0-9]{2}-[0-9]{3}")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+(,[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def complete_nip(first9: str) -> str:
    """The NIP that starts with these nine digits: their weighted mod-11 checksum appended.

    Raises ValueError when the checksum is 10: no NIP starts with these digits."""
    check = sum(int(d) * w for d, w in zip(first9, _NIP_WEIGHTS, strict=True)) % 11
    if check == 10:
        raise ValueError(f"{first9}: no valid NIP starts with these digits")
    return first9 + str(check)


def is_valid_nip(value: str) -> bool:
    """A Polish tax id: 10 digits, the last a weighted mod-11 checksum of the others."""
    if len(value) != 10 or not _DIGITS.fullmatch(value):
        return False
    try:
        return complete_nip(value[:9]) == value
    except ValueError:
        return False


def is_valid_nrb(value: str) -> bool:
    """A Polish account number (NRB): 26 digits whose IBAN form `PL` + digits passes mod 97."""
    if len(value) != 26 or not _DIGITS.fullmatch(value):
        return False
    # IBAN check: move the country code and check digits to the end, letters as numbers (P=25, L=21).
    return int(value[2:] + "2521" + value[:2]) % 97 == 1


def nrb_check_digits(bban: str) -> str:
    """The two check digits that make `bban` (24 digits: bank + account) a valid NRB."""
    return f"{98 - int(bban + '252100') % 97:02d}"


def format_nrb(value: str) -> str:
    """`61109010140000071219812874` → `61 1090 1014 0000 0712 1981 2874`, as printed on invoices.

    Anything but digits is dropped first, so an account already in groups comes out the same."""
    digits = re.sub(r"\D", "", value)
    return " ".join([digits[:2]] + [digits[i : i + 4] for i in range(2, len(digits), 4)])


def is_valid_postal_code(value: str) -> bool:
    return bool(_POSTAL_CODE.fullmatch(value))


def parse_decimal(value: str, *, places: int) -> Decimal:
    """`1234,56` → Decimal("1234.56"); at most `places` decimals, a comma, no thousands separator."""
    if not _DECIMAL_COMMA.fullmatch(value):
        raise ValueError(
            _("„%(value)s” nie jest liczbą w formacie 1234,56 (przecinek dziesiętny, bez spacji).") % {"value": value}
        )
    if "," in value and len(value.split(",")[1]) > places:
        raise ValueError(
            _("„%(value)s” ma więcej niż %(places)d miejsc po przecinku.") % {"value": value, "places": places}
        )
    return Decimal(value.replace(",", "."))


def format_decimal(value: Decimal, *, places: int = 2) -> str:
    """The export's form of a number: Decimal("-87.1") → `-87,10`."""
    return f"{value:.{places}f}".replace(".", ",")


def parse_date(value: str) -> dt.date:
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(_("„%(value)s” nie jest datą w formacie RRRR-MM-DD.") % {"value": value})
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("„%(value)s” nie jest istniejącą datą.") % {"value": value}) from None
