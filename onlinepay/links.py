"""What apps below onlinepay ask of it through dotted-path settings, without importing it
(settings.EBOK_REMINDER_PAY_LINK, settings.EBOK_REMINDER_SKIP_DOCUMENTS)."""

from __future__ import annotations

from urllib.parse import urlencode

from payments import PaymentStatus

from ebok.links import customer_url
from onlinepay.variants import active_variant


def reminder_pay_url(customer_number: str, numbers: list[str]) -> str | None:
    """The pay page of customer ``customer_number`` with these documents chosen (it asks for a
    login first; the link names the customer, as a login may reach several); None with no gateway."""
    if active_variant() is None or not numbers:
        return None
    return customer_url("onlinepay:pay", customer_number) + "?" + urlencode([("dokument", n) for n in numbers])


def documents_being_paid(customer_ids: list[str]) -> set[tuple[str, str]]:
    """(customer, document number) of each document in an online payment paid but not yet booked, or
    waiting for the bank: reminders skip them (one query; none with no gateway)."""
    from onlinepay.models import OnlinePaymentLine

    if active_variant() is None or not customer_ids:
        return set()
    return set(
        OnlinePaymentLine.objects.filter(
            payment__customer_id__in=customer_ids,
            payment__booked_at__isnull=True,
            payment__status__in=[PaymentStatus.CONFIRMED, PaymentStatus.INPUT],
        )
        .order_by()
        .values_list("payment__customer_id", "document_number")
    )
