"""What "Moi odbiorcy" shows for each customer a login reaches, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from billing.models import DeliveryPoint
from billing.selectors import documents_and_payments, settle
from cases.models import Case

ZERO = Decimal("0.00")


@dataclass
class CustomerRow:
    grant: object  # the login's access row, with its customer
    addresses: list[str] = field(default_factory=list)
    balance: Decimal = ZERO
    overdue: Decimal = ZERO
    unread: int = 0
    open_cases: int = 0
    settlement: object = None

    @property
    def customer(self):
        return self.grant.customer

    def matches(self, words: str) -> bool:
        haystack = " ".join([self.customer.number, self.customer.name, *self.addresses]).casefold()
        return all(word in haystack for word in words.casefold().split())


def customer_rows(grants: list) -> list[CustomerRow]:
    """One row per access row: four queries whatever the number of customers."""
    rows = {grant.customer_id: CustomerRow(grant) for grant in grants}
    numbers = list(rows)
    for number, street, postal_code, city in (
        DeliveryPoint.objects.filter(customer_id__in=numbers)
        .order_by("customer_id", "code")
        .values_list("customer_id", "street", "postal_code", "city")
    ):
        address = f"{street}, {postal_code} {city}"
        if address not in rows[number].addresses:
            rows[number].addresses.append(address)
    documents, paid = documents_and_payments(numbers)
    for number, row in rows.items():
        row.settlement = settlement = settle(documents[number], paid.get(number) or ZERO)
        row.balance, row.overdue = settlement.balance, settlement.overdue_total
    unread = Count("messages", filter=Q(messages__from_staff=True, messages__read_at__isnull=True))
    for number, unread_count, open_count in (
        Case.objects.filter(customer_id__in=numbers)
        .order_by()
        .values("customer_id")
        .annotate(
            unread=unread,
            open=Count("pk", filter=~Q(status=Case.Status.CLOSED), distinct=True),
        )
        .values_list("customer_id", "unread", "open")
    ):
        rows[number].unread, rows[number].open_cases = unread_count, open_count
    return list(rows.values())
