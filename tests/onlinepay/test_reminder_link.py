"""Payment reminders link to paying their documents online (after login), when a gateway is set."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def alice_owes(alice, today):
    factories.make_document(
        alice.customer, "FV/2026/10/1", issue_date=dt.date(2026, 10, 27), due_date=dt.date(2026, 11, 10)
    )
    return alice


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_a_reminder_links_to_paying_its_documents(alice_owes, payu, send_queued_mail, client):
    call_command("send_payment_reminders", stdout=StringIO())
    (message,) = send_queued_mail()
    link = "http://127.0.0.1:8000/odbiorca/100001/platnosci-online/zaplac/?dokument=FV%2F2026%2F10%2F1"
    assert f"Zapłać online (BLIK, szybki przelew, karta) po zalogowaniu: {link}" in message.body
    assert f'href="{link}"' in html_of(message)
    response = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 302 and response["Location"].startswith("/logowanie/?next=")
    client.force_login(alice_owes)
    page = client.get(link.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert 'value="FV/2026/10/1" id="pay-doc-1" checked' in page


def test_without_a_gateway_the_reminder_has_no_pay_link(alice_owes, send_queued_mail):
    call_command("send_payment_reminders", stdout=StringIO())
    (message,) = send_queued_mail()
    assert "platnosci-online" not in message.body and "Zapłać online" not in html_of(message)
