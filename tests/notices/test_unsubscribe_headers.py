"""List-Unsubscribe (RFC 8058) on the notices the law does not require, and only on them (issue #15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.test import Client

from accounts import unsubscribe
from accounts.models import User
from ebok import mail
from ebok.models import OutboundEmail
from notices.services import send_payment_reminders
from tests import factories
from tests.notices.conftest import next_month

pytestmark = pytest.mark.django_db


def one_click_url(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">")
    return header[1:-1].split(">")[0]


def test_the_documents_notice_without_e_invoices_carries_one_click_unsubscribe_and_the_e_invoice_does_not(
    registered, import_export, tmp_path, send_queued_mail
):
    alice, bob = registered  # alice has e-invoices, bob not
    import_export(next_month(tmp_path).write())
    send_queued_mail()
    by_to = {m.to[0]: m for m in django_mail.outbox}
    assert "List-Unsubscribe" not in by_to["alice@example.pl"].extra_headers  # the law requires the e-invoice
    notice = by_to["bob@example.pl"]
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The one-click POST a mail provider sends: no session, no CSRF token, just the body of RFC 8058.
    provider = Client(enforce_csrf_checks=True)
    path = one_click_url(notice).split("://", 1)[1].split("/", 1)[1]
    response = provider.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    bob = User.objects.get(pk=bob.pk)
    assert (bob.notify_documents, bob.notify_reminders) == (False, True)  # that notice only


def test_reminders_carry_it_and_security_mail_does_not(alice, settings):
    settings.EBOK_UNSUBSCRIBE_MAILTO = "wypisz@mpec.example.pl"
    doc = factories.make_document(alice.customer, due_date=dt.date(2026, 10, 1), gross="120.00")
    assert doc.pk
    (plan,) = send_payment_reminders(on=dt.date(2026, 11, 1))
    reminder = OutboundEmail.objects.get(template="notices-reminder")
    links = reminder.headers["List-Unsubscribe"]
    assert links.startswith("<http") and "<mailto:wypisz@mpec.example.pl?subject=wypisz-reminders-100001>" in links
    assert reminder.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail.send("accounts-password-changed", to=alice.email, context={"customer_number": "100001", "reset_url": "x"})
    assert OutboundEmail.objects.get(template="accounts-password-changed").headers == {}
    assert unsubscribe.read(unsubscribe.token_for(alice, "reminders")) == (alice, "reminders")
