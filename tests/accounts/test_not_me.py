""" "To nie ja": billing's e-mail on file hears of a new login address and can undo it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AccountToken, User
from cases.models import Case
from ebok.models import AuditEvent
from tests import factories
from tests.accounts.conftest import link_from, registration


def _mail_to(outbox, address):
    found = [m for m in outbox if m.to == [address]]
    assert len(found) == 1, [(m.to, m.subject) for m in outbox]
    return found[0]


def test_a_registration_to_another_address_tells_billings_address(client, carol, send_queued_mail):
    client.post(reverse("accounts:register"), registration(email="intruz@example.com"))
    outbox = send_queued_mail()
    notice = _mail_to(outbox, carol.email)
    assert "intruz@example.com" in notice.body and "100003" in notice.body
    assert "/to-nie-ja/" in notice.body
    assert "/ustaw-haslo/" not in notice.body  # the set-password link goes only to the new address


def test_a_registration_with_billings_own_address_sends_no_notice(client, carol, send_queued_mail):
    client.post(reverse("accounts:register"), registration(email=carol.email.upper()))
    outbox = send_queued_mail()
    assert [m.to for m in outbox] == [[carol.email.upper()]]
    assert "/to-nie-ja/" not in outbox[0].body


def test_the_link_cancels_a_pending_registration(client, carol, send_queued_mail):
    client.post(reverse("accounts:register"), registration(email="intruz@example.com"))
    outbox = send_queued_mail()
    set_password = link_from(_mail_to(outbox, "intruz@example.com"), "/ustaw-haslo/")
    link = link_from(_mail_to(outbox, carol.email), "/to-nie-ja/")
    page = client.get(link)
    assert page.status_code == 200 and "Anuluj rejestrację" in page.content.decode()
    assert User.objects.filter(customer=carol).exists(), "a GET (a mail scanner) changes nothing"
    response = client.post(link)
    assert response.status_code == 200 and "Rejestracja została anulowana" in response.content.decode()
    assert not User.objects.filter(customer=carol).exists()
    assert client.get(set_password).status_code == 410
    assert client.post(link).status_code == 410
    assert AuditEvent.objects.filter(event="registration_disowned", customer_number="100003").exists()


def test_an_email_change_to_another_address_tells_billing_and_the_link_freezes_the_account(
    client, alice, bob, send_queued_mail
):
    client.force_login(alice)
    client.post(reverse("accounts:change_email"), {"email": "intruz@example.com", "password": factories.PASSWORD})
    confirm = link_from(_mail_to(send_queued_mail(), "intruz@example.com"), "/potwierdz-e-mail/")
    client.post(confirm)
    outbox = send_queued_mail()
    link = link_from(_mail_to(outbox, alice.customer.email), "/to-nie-ja/")
    assert client.get(reverse("start")).status_code == 200

    other = client.__class__()
    assert "Zablokuj konto" in other.get(link).content.decode()
    response = other.post(link)
    assert response.status_code == 200 and "Konto zostało zablokowane" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active is False
    assert alice.email == alice.customer.email, "the login's mail goes back to billing's address"
    # The session of whoever changed the address ends; the password no longer logs in.
    assert client.get(reverse("start")).status_code == 302
    assert (
        other.post(reverse("accounts:login"), {"username": "100001", "password": factories.PASSWORD}).status_code == 200
    )
    assert not AccountToken.objects.usable().filter(user=alice).exists()
    # Staff get a case about alice's customer, and only hers.
    case = Case.objects.get()
    assert case.customer == alice.customer
    assert "intruz@example.com" in case.messages.get().body
    bob.refresh_from_db()
    assert bob.is_active is True
    assert other.post(link).status_code == 410  # once is enough: no second case
    assert Case.objects.count() == 1


def test_a_link_for_another_address_or_tampered_does_nothing(client, alice, bob):
    from django.core import signing

    from accounts.services import NOT_ME_SALT

    stale = signing.dumps({"user": alice.pk, "email": "old@example.com"}, salt=NOT_ME_SALT, compress=True)
    assert client.get(reverse("accounts:not_me", args=[stale])).status_code == 410
    forged = signing.dumps({"user": bob.pk, "email": bob.email}, salt="other", compress=True)
    assert client.post(reverse("accounts:not_me", args=[forged])).status_code == 410
    bob.refresh_from_db()
    assert bob.is_active


def test_the_link_expires(client, carol, send_queued_mail, settings, monkeypatch):
    import time

    client.post(reverse("accounts:register"), registration(email="intruz@example.com"))
    link = link_from(_mail_to(send_queued_mail(), carol.email), "/to-nie-ja/")
    later = time.time() + settings.EBOK_NOT_ME_LINK_DAYS * 86400 + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.post(link).status_code == 410
    assert User.objects.filter(customer=carol).exists()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_notice_is_in_the_customers_language(client, carol, send_queued_mail, language):
    client.cookies["django_language"] = language
    client.post(reverse("accounts:register"), registration(email="intruz@example.com"))
    notice = _mail_to(send_queued_mail(), carol.email)
    assert ("If this was not you" in notice.body) == (language == "en")
