"""What the customer pages show of online payments, beside billing's settlement.

The amounts always come from billing's settlement (billing.selectors.settle): this module only
says which of its open documents are already paid online (waiting to be booked by billing) or
waiting for the bank, so they are not offered again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from payments import PaymentStatus

from billing.models import ZERO
from billing.selectors import SettledDocument, Settlement
from onlinepay.models import OnlinePaymentLine
from onlinepay.variants import active_variant


@dataclass
class DocumentNote:
    status: str  # CONFIRMED (paid, not yet booked) or INPUT (waiting for the bank)
    amount: Decimal
    paid_on: dt.date | None

    @property
    def paid(self) -> bool:
        return self.status == PaymentStatus.CONFIRMED


@dataclass
class OnlineState:
    enabled: bool
    notes: dict[str, DocumentNote] = field(default_factory=dict)
    payable: list[SettledDocument] = field(default_factory=list)

    @property
    def payable_total(self) -> Decimal:
        return sum((s.rest for s in self.payable), ZERO)

    @property
    def paid_not_booked(self) -> Decimal:
        return sum((n.amount for n in self.notes.values() if n.paid), ZERO)

    @property
    def waiting_for_bank(self) -> Decimal:
        return sum((n.amount for n in self.notes.values() if not n.paid), ZERO)

    def note_for(self, number: str) -> DocumentNote | None:
        return self.notes.get(number)

    def is_payable(self, number: str) -> bool:
        return any(s.document.number == number for s in self.payable)


def notes_for(customer_id: str, settlement: Settlement) -> dict[str, DocumentNote]:
    """Open documents of the settlement that are in a confirmed-but-unbooked or pending payment (1 query)."""
    open_numbers = {s.document.number for s in settlement.open_documents}
    if not open_numbers:
        return {}
    notes: dict[str, DocumentNote] = {}
    lines = (
        OnlinePaymentLine.objects.filter(
            payment__customer_id=customer_id,
            payment__booked_at__isnull=True,
            payment__status__in=[PaymentStatus.CONFIRMED, PaymentStatus.INPUT],
            document_number__in=open_numbers,
        )
        .order_by("payment__created")
        .values_list("document_number", "amount", "payment__status", "payment__confirmed_at")
    )
    for number, amount, status, confirmed_at in lines:
        previous = notes.get(number)
        if previous is not None and previous.paid:
            continue  # paid already: a later pending attempt does not hide that
        paid_on = timezone.localdate(confirmed_at) if confirmed_at else None
        notes[number] = DocumentNote(status=status, amount=amount, paid_on=paid_on)
    return notes


def online_state(customer_id: str, settlement: Settlement) -> OnlineState:
    """With no gateway configured: disabled, and no query at all (the pages look as before)."""
    if active_variant() is None:
        return OnlineState(enabled=False)
    notes = notes_for(customer_id, settlement)
    payable = [s for s in settlement.open_documents if s.document.number not in notes]
    return OnlineState(enabled=True, notes=notes, payable=payable)
