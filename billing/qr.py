"""Bank-transfer QR codes after the Polish banks' association recommendation (ZBP "Standard 2D").

The payload is nine fields joined by ``|``::

    NIP|PL|account(26)|amount in grosze (6 digits)|recipient name (≤20)|title (≤32)|||

the last three being reserved and empty; at most 160 characters; QR with error correction L.
The amount field holds six digits, so 9 999,99 zł is the most a code can carry: for larger
amounts ``transfer_payload`` returns None and the page shows the transfer data as text only
(docs/payments-qr.md). Pure functions, so e-mails can reuse them (``png_bytes``);
``payment_payload`` fills in the utility's data from the settings.
"""

from __future__ import annotations

import functools
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import segno
from django.conf import settings

MAX_PAYLOAD = 160
MAX_AMOUNT = Decimal("9999.99")
NAME_MAX = 20
TITLE_MAX = 32
_FORBIDDEN = re.compile(r"[|\r\n\t]")


def _clean(text: str, limit: int) -> str:
    """Drop the separator and control characters, squeeze spaces, cut to the field's length."""
    return " ".join(_FORBIDDEN.sub(" ", text).split())[:limit].rstrip()


def transfer_payload(*, nip: str, account: str, amount: Decimal, name: str, title: str) -> str | None:
    """The ZBP 2D payload, or None when the amount does not fit the six-digit field."""
    account = re.sub(r"\D", "", account)
    if len(account) != 26:
        raise ValueError("account must have 26 digits (NRB)")
    nip = re.sub(r"\D", "", nip)
    if nip and len(nip) != 10:
        raise ValueError("NIP must have 10 digits")
    if amount <= 0 or amount > MAX_AMOUNT:
        return None
    grosze = int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    fields = [nip, "PL", account, f"{grosze:06d}", _clean(name, NAME_MAX), _clean(title, TITLE_MAX), "", "", ""]
    payload = "|".join(fields)
    if len(payload) > MAX_PAYLOAD:  # cannot happen with the limits above; guards future edits
        raise ValueError("payload longer than 160 characters")
    return payload


def payment_payload(*, account: str, amount: Decimal, title: str) -> str | None:
    """The payload for paying the utility (its NIP and short name) into a customer's own account."""
    utility_nip, utility_name = settings.EBOK_UTILITY_NIP, settings.EBOK_UTILITY_SHORT_NAME
    return transfer_payload(nip=utility_nip, account=account, amount=amount, name=utility_name, title=title)


def document_title(customer_number: str, document_number: str) -> str:
    """The transfer title: the document number first, so a cut never loses it."""
    return _clean(f"{document_number} {customer_number}", TITLE_MAX)


def make_qr(payload: str) -> segno.QRCode:
    # boost_error=False: segno would otherwise raise the level when it fits; the recommendation says L.
    return segno.make(payload, error="L", micro=False, boost_error=False)


# Encoding a code takes ~10-30 ms (segno tries all eight masks); the result is a pure function
# of the payload, so each worker keeps the latest few thousand (about 4 kB each).
@functools.lru_cache(maxsize=4096)
def svg_document(payload: str, *, scale: int = 4) -> bytes:
    """A standalone SVG file of the code (served as an image; the page gives it its alt text)."""
    buffer = io.BytesIO()
    make_qr(payload).save(buffer, kind="svg", scale=scale, border=4, xmldecl=True, svgclass=None, lineclass=None)
    return buffer.getvalue()


def png_bytes(payload: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    make_qr(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
