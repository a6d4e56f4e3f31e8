"""Reads the customer pages share: settlement of payments against documents, and lists.

Settlement follows docs (FORMAT.md): payments settle the oldest open documents first. It is
one pass in Python over the customer's documents (2 queries whatever the history length), so
the start page, the payments page, the QR codes and reminders all see the same numbers.

A correction with a negative gross (money the utility owes back) is not "paid": it is a
credit, added to the payments pool before the pool is applied to the positive documents,
oldest first. The balance therefore stays sum(gross) - sum(payments), exactly as FORMAT.md
defines it, and a credit note can never leave a document "overpaid".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import ZERO, Customer, Document, Payment


class Status:
    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    OPEN = "open"
    OVERDUE = "overdue"
    CREDIT = "credit"

    LABELS = {
        PAID: _("zapłacony"),
        PARTLY_PAID: _("częściowo zapłacony"),
        OPEN: _("do zapłaty"),
        OVERDUE: _("po terminie"),
        CREDIT: _("korekta in minus (zmniejsza należność)"),
    }
    FILTERABLE = [PAID, PARTLY_PAID, OPEN, OVERDUE]


@dataclass
class SettledDocument:
    document: Document
    paid: Decimal
    rest: Decimal
    status: str
    corrections: list[Document] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def is_payable(self) -> bool:
        return self.rest > ZERO


@dataclass
class Settlement:
    documents: list[SettledDocument]  # oldest first
    payments_total: Decimal
    balance: Decimal  # > 0: amount due; < 0: overpayment

    @property
    def open_documents(self) -> list[SettledDocument]:
        return [s for s in self.documents if s.rest > ZERO]

    @property
    def overdue_documents(self) -> list[SettledDocument]:
        return [s for s in self.documents if s.status == Status.OVERDUE]

    @property
    def nearest_due_date(self) -> dt.date | None:
        """The nearest due date still ahead (today included); what is past it is ``overdue_since``."""
        dates = [s.document.due_date for s in self.open_documents if s.status == Status.OPEN]
        return min(dates) if dates else None

    @property
    def overdue_since(self) -> dt.date | None:
        """The due date of the oldest overdue document."""
        dates = [s.document.due_date for s in self.overdue_documents]
        return min(dates) if dates else None

    @property
    def overdue_total(self) -> Decimal:
        return sum((s.rest for s in self.overdue_documents), ZERO)

    @property
    def overpayment(self) -> Decimal:
        return -self.balance if self.balance < ZERO else ZERO

    def by_number(self) -> dict[str, SettledDocument]:
        return {s.document.number: s for s in self.documents}


def today() -> dt.date:
    """Today in the portal's time zone (Europe/Warsaw), not the server's UTC date."""
    return timezone.localdate()


def settle(documents: list[Document], payments_total: Decimal, *, on: dt.date | None = None) -> Settlement:
    """Apply payments (and credit notes) to documents oldest first; pure, no queries."""
    on = on or today()
    ordered = sorted(documents, key=lambda d: (d.due_date, d.issue_date, d.number))
    credits = sum((-d.gross for d in ordered if d.gross < ZERO), ZERO)
    pool = payments_total + credits
    settled: list[SettledDocument] = []
    for doc in ordered:
        if doc.gross <= ZERO:
            settled.append(SettledDocument(doc, paid=ZERO, rest=ZERO, status=Status.CREDIT))
            continue
        paid = min(doc.gross, max(pool, ZERO))
        pool -= paid
        rest = doc.gross - paid
        if rest == ZERO:
            status = Status.PAID
        elif doc.due_date < on:
            status = Status.OVERDUE
        elif paid > ZERO:
            status = Status.PARTLY_PAID
        else:
            status = Status.OPEN
        settled.append(SettledDocument(doc, paid=paid, rest=rest, status=status))
    by_number = {s.document.number: s for s in settled}
    for s in settled:
        if s.document.corrects_id and s.document.corrects_id in by_number:
            by_number[s.document.corrects_id].corrections.append(s.document)
    gross_total = sum((d.gross for d in ordered), ZERO)
    return Settlement(settled, payments_total=payments_total, balance=gross_total - payments_total)


def documents_and_payments(customer_ids: list[str]) -> tuple[dict[str, list[Document]], dict[str, Decimal]]:
    """What ``settle`` needs for each of several customers in two queries: their documents (an
    empty list for a customer without) and the total of their payments (missing when none)."""
    documents: dict[str, list[Document]] = defaultdict(list)
    for document in Document.objects.filter(customer_id__in=customer_ids).order_by():
        documents[document.customer_id].append(document)
    paid = dict(
        Payment.objects.filter(customer_id__in=customer_ids)
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .values_list("customer_id", "total")
    )
    return documents, paid


def settlement_for(customer: Customer | str) -> Settlement:
    """The customer's settlement in exactly two queries."""
    customer_id = customer.pk if isinstance(customer, Customer) else customer
    documents = list(Document.objects.filter(customer_id=customer_id).order_by())
    total = Payment.objects.filter(customer_id=customer_id).aggregate(total=Sum("amount"))["total"] or ZERO
    return settle(documents, total)
