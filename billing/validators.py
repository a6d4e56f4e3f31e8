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
# a trailing newline, which a quoted CSV cell may hold.
_DIGITS = re.compile(r"[0-9]+")
_POSTAL_CODE = re.compile(r"[0-9]{2}-[0-9]{3}")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+(?:,([0-9]+))?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
# The keys of the export (contract numbers, point codes, meter serials, document and payment
# ids): ASCII letters and digits, `.`, `_`, `-`, and `/` between such segments, each segment
# starting with a letter or digit. So a key is safe in a URL path (the `key` converter, see
# billing/apps.py), in a file name part and at the start of a spreadsheet cell.
KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*"
_KEY = re.compile(KEY_PATTERN)
SHOWN_LENGTH = 40


def shown(value: str) -> str:
    """Untrusted text as a report may echo it: at most SHOWN_LENGTH characters, control characters escaped."""
    text = value if len(value) <= SHOWN_LENGTH else value[:SHOWN_LENGTH] + "…"
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def is_valid_key(value: str) -> bool:
    return bool(_KEY.fullmatch(value))


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


def parse_export_decimal(value: str, *, places: int) -> Decimal:
    """`1234,56` → Decimal("1234.56"); at most `places` decimals, a comma, no thousands separator.

    Strict, as docs/billing-export.md defines a number, with a translated reason for the import
    report; what customers type in forms is read leniently by ebok.numbers.parse_typed_decimal."""
    match = _DECIMAL_COMMA.fullmatch(value)
    if not match:
        raise ValueError(
            _("„%(value)s” nie jest liczbą w formacie 1234,56 (przecinek dziesiętny, bez spacji).")
            % {"value": shown(value)}
        )
    if match[1] and len(match[1]) > places:
        raise ValueError(
            _("„%(value)s” ma więcej niż %(places)d miejsc po przecinku.") % {"value": shown(value), "places": places}
        )
    return Decimal(value.replace(",", "."))


def format_decimal(value: Decimal, *, places: int = 2) -> str:
    """The export's form of a number: Decimal("-87.1") → `-87,10`."""
    return f"{value:.{places}f}".replace(".", ",")


def parse_date(value: str) -> dt.date:
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(_("„%(value)s” nie jest datą w formacie RRRR-MM-DD.") % {"value": shown(value)})
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("„%(value)s” nie jest istniejącą datą.") % {"value": shown(value)}) from None
