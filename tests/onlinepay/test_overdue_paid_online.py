"""A document paid online and not yet booked is not overdue on Pulpit and gets no payment reminder."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from payments import PaymentStatus

from onlinepay.models import OnlinePayment
from tests import factories

pytestmark = pytest.mark.usefixtures("today")


def _paid_online(document, status=PaymentStatus.CONFIRMED):
    payment = OnlinePayment.objects.create(
        variant="payu", customer=document.customer, currency="PLN", total=document.gross, transaction_id="ORD1"
    )
    payment.lines.create(document_number=document.number, amount=document.gross)
    payment.change_status(status, source="notification")
    return payment


def _overdue_card(page: str) -> str:
    return page.split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]


def test_pulpit_shows_a_document_paid_online_apart_from_the_overdue_ones(alice_client, payu, invoices):
    _paid, first, second = invoices
    _paid_online(first)
    page = alice_client.get(reverse("start")).content.decode().replace("\xa0", " ")
    card = _overdue_card(page)
    assert second.number in card.split("data-online-paid-overdue")[0]
    assert f'<span class="status-overdue">{first.number}</span>' not in card
    assert f"{first.number}: opłacone online 24.11.2026, w trakcie księgowania" in card
    assert 'Razem po terminie: <strong class="amount">250,00 zł</strong>' in card
    assert '<strong class="amount">250,00 zł</strong></p>' in page.split('id="overdue-heading"')[0]


def test_pulpit_with_every_overdue_document_paid_online_shows_none_overdue(alice_client, payu, invoices):
    _paid, first, second = invoices
    _paid_online(first)
    _paid_online(second)
    page = alice_client.get(reverse("start")).content.decode()
    assert "Brak dokumentów po terminie." in _overdue_card(page)
    assert "W tym po terminie od" not in page


def test_a_payment_waiting_for_the_bank_still_counts_as_overdue_on_pulpit(alice_client, payu, invoices):
    _paid, first, _second = invoices
    _paid_online(first, PaymentStatus.INPUT)
    card = _overdue_card(alice_client.get(reverse("start")).content.decode())
    assert f'<span class="status-overdue">{first.number}</span>' in card


def test_reminders_skip_documents_paid_online_and_not_yet_booked(alice, bob, payu, invoices, send_queued_mail):
    _paid, first, second = invoices
    _paid_online(first)
    # bob's own overdue document is paid online; a line of his naming alice's number does not skip hers
    bobs = factories.make_document(bob.customer, "FV/2026/10/000002", gross="10.00", issue_date=second.issue_date)
    bob_payment = OnlinePayment.objects.create(
        variant="payu", customer=bob.customer, currency="PLN", total="20.00", transaction_id="ORD2"
    )
    bob_payment.lines.create(document_number=bobs.number, amount="10.00")
    bob_payment.lines.create(document_number=second.number, amount="10.00")
    bob_payment.change_status(PaymentStatus.CONFIRMED, source="notification")
    call_command("send_payment_reminders", stdout=StringIO())
    sent = {m.to[0]: m for m in send_queued_mail()}
    assert second.number in sent["alice@example.pl"].body
    assert first.number not in sent["alice@example.pl"].body
    assert bob.email not in sent  # his only overdue document is paid online


def test_once_booked_the_document_is_settled_by_billing_not_by_the_note(alice, payu, invoices, send_queued_mail):
    _paid, first, _second = invoices
    payment = _paid_online(first)
    _paid_online(invoices[2])
    payment.booked_at = payment.confirmed_at
    payment.save(update_fields=["booked_at"])
    call_command("send_payment_reminders", stdout=StringIO())
    (message,) = send_queued_mail()
    assert first.number in message.body  # booked by the portal's match but billing has no payment: reminded


def test_reminders_cost_the_same_queries_for_5_and_50_customers_with_payments_online(payu, send_queued_mail):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.services import send_payment_reminders

    counts = []
    for size in (5, 50):
        for _ in range(size):
            customer = factories.make_customer()
            factories.make_user(customer)
            factories.make_document(customer, f"FV/{customer.number}/1", issue_date=dt.date(2026, 10, 1))
            paid = factories.make_document(customer, f"FV/{customer.number}/2", issue_date=dt.date(2026, 10, 2))
            _paid_online(paid)
        with CaptureQueriesContext(connection) as queries:
            plans = send_payment_reminders()
        assert len(plans) == size and all(len(p.customers[0].documents) == 1 for p in plans)
        counts.append(len(queries))
    assert counts[0] == counts[1]
