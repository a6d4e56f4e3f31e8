"""manage.py send_payment_reminders: overdue documents, at most once per document per M days, QR inline."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.validators import format_nrb
from notices.models import PaymentReminder
from notices.services import send_payment_reminders
from tests import factories

pytestmark = pytest.mark.django_db


def overdue(customer, number: str, *, due: dt.date, gross: str = "246.00"):
    return factories.make_document(customer, number, issue_date=due - dt.timedelta(days=14), due_date=due, gross=gross)


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@pytest.fixture
def alice_owes(alice, today):
    """24.11.2026: one invoice 14 days overdue, one only 4 days overdue, one overdue but paid."""
    overdue(alice.customer, "FV/2026/09/1", due=dt.date(2026, 10, 1), gross="100.00")  # paid by the payment below
    factories.make_payment(alice.customer, "100.00", date=dt.date(2026, 9, 30))
    overdue(alice.customer, "FV/2026/10/1", due=dt.date(2026, 11, 10))
    overdue(alice.customer, "FV/2026/11/1", due=dt.date(2026, 11, 20))
    return alice


def test_it_reminds_of_documents_overdue_at_least_n_days_with_the_transfer_data(alice_owes, settings, send_queued_mail):
    call_command("send_payment_reminders", stdout=StringIO())
    (message,) = send_queued_mail()
    assert message.to == ["alice@example.pl"]
    assert message.subject == "Przypomnienie o płatności: 246,00 zł po terminie"  # one line, plain spaces
    assert (
        "faktura FV/2026/10/1: do zapłaty 246,00\xa0zł, termin płatności 10.11.2026 (14 dni po terminie)"
        in message.body
    )
    assert "FV/2026/11/1" not in message.body  # only 4 days overdue (EBOK_REMINDER_OVERDUE_DAYS = 7)
    assert "FV/2026/09/1" not in message.body  # paid
    assert f"Numer rachunku: {format_nrb(alice_owes.customer.bank_account)}" in message.body
    assert f"Odbiorca: {settings.EBOK_UTILITY_NAME}, {settings.EBOK_UTILITY_ADDRESS}" in message.body
    assert "Tytuł: FV/2026/10/1 100001" in message.body
    assert 'src="cid:qr-platnosc-1"' in html_of(message)  # one code per customer the reminder lists


def test_the_qr_code_is_an_inline_png_part_the_html_refers_to(alice_owes, send_queued_mail):
    send_payment_reminders()
    (message,) = send_queued_mail()
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/related"
    (image,) = [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<qr-platnosc-1>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content().startswith(b"\x89PNG")


def test_a_document_is_reminded_at_most_once_per_m_days(alice_owes, settings, send_queued_mail):
    assert len(send_payment_reminders()) == 1
    assert send_payment_reminders() == []  # the same day: nothing
    PaymentReminder.objects.update(sent_at=timezone.now() - dt.timedelta(days=settings.EBOK_REMINDER_REPEAT_DAYS - 1))
    assert send_payment_reminders() == []
    PaymentReminder.objects.update(sent_at=timezone.now() - dt.timedelta(days=settings.EBOK_REMINDER_REPEAT_DAYS + 1))
    # M days later: reminded again.
    assert len(send_payment_reminders(on=dt.date(2026, 11, 25))) == 1
    assert len(send_queued_mail()) == 2
    assert list(PaymentReminder.objects.values_list("document_id", flat=True)) == ["FV/2026/10/1"] * 2


def test_customers_who_turned_reminders_off_get_none(alice_owes, send_queued_mail):
    alice_owes.notify_reminders = False
    alice_owes.save()
    assert send_payment_reminders() == []
    assert send_queued_mail() == []


def test_a_dry_run_lists_the_reminders_and_sends_nothing(alice_owes, send_queued_mail):
    out = StringIO()
    call_command("send_payment_reminders", "--dry-run", stdout=out)
    assert "100001  246,00\xa0zł  FV/2026/10/1" in out.getvalue()
    assert "1 reminders would be sent, none sent" in out.getvalue()
    assert send_queued_mail() == [] and not PaymentReminder.objects.exists()


def test_amounts_of_10000_zl_and_more_get_no_qr_code(alice, today, send_queued_mail):
    overdue(alice.customer, "FV/2026/10/9", due=dt.date(2026, 11, 1), gross="10000.00")
    send_payment_reminders()
    (message,) = send_queued_mail()
    assert message.attachments == []
    assert "Kwoty od 10 000 zł nie mieszczą się w kodzie QR" in message.body
    assert "cid:" not in html_of(message)


def test_a_customer_is_reminded_only_of_their_own_documents(alice_owes, bob, send_queued_mail):
    overdue(bob.customer, "FV/2026/10/2", due=dt.date(2026, 11, 2), gross="50.00")
    send_payment_reminders()
    received = {m.to[0]: m for m in send_queued_mail()}
    assert "FV/2026/10/2" in received["bob@example.pl"].body
    assert "FV/2026/10/1" not in received["bob@example.pl"].body
    assert "FV/2026/10/2" not in received["alice@example.pl"].body


def test_an_english_preferring_customer_gets_the_reminder_in_english(alice_owes, send_queued_mail):
    alice_owes.language = "en"
    alice_owes.save()
    send_payment_reminders()
    (message,) = send_queued_mail()
    assert '<html lang="en">' in html_of(message)
    assert message.subject.startswith("Payment reminder: ")
    assert "invoice FV/" in message.body and "faktura FV/" not in message.body


def test_the_number_of_queries_is_the_same_for_5_and_50_customers(today, send_queued_mail):
    counts = []
    for size in (5, 50):
        for _ in range(size):
            customer = factories.make_customer()
            factories.make_user(customer)
            overdue(customer, f"FV/{customer.number}/1", due=dt.date(2026, 11, 1))
            overdue(customer, f"FV/{customer.number}/2", due=dt.date(2026, 11, 5))
        with CaptureQueriesContext(connection) as queries:
            assert len(send_payment_reminders()) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(send_queued_mail()) == 55
