"""E-mails with a live link (set password, reset, confirm an address) keep it only until delivered.

The link is as good as the password it sets: once the message has gone, the outbox keeps who got
what and when, never the link (issue 11, item 2).
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from ebok.models import OutboundEmail
from tests import factories
from tests.accounts.conftest import link_from, registration, run_reset_worker


def _assert_erased_once_delivered(send_queued_mail, path: str) -> None:
    row = OutboundEmail.objects.get()
    assert row.secret and path in row.body_text  # needed until it is sent
    delivered = send_queued_mail()[-1]
    link = link_from(delivered, path)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.sent_at
    assert (row.body_text, row.body_html, row.attachments) == ("", "", [])
    assert row.subject == delivered.subject and row.to == delivered.to and row.template
    assert link not in str(list(OutboundEmail.objects.values_list()))


def test_a_reset_link_leaves_the_outbox_once_delivered(client, alice, send_queued_mail):
    client.post(reverse("accounts:password_reset"), {"customer_number": alice.username})
    run_reset_worker()  # the reset is queued; the worker looks the number up and writes the mail
    _assert_erased_once_delivered(send_queued_mail, "/nowe-haslo/")


def test_a_set_password_link_leaves_the_outbox_once_delivered(client, carol, send_queued_mail):
    client.post(reverse("accounts:register"), registration())
    assert User.objects.get(username=carol.number).status == User.Status.PENDING
    _assert_erased_once_delivered(send_queued_mail, "/ustaw-haslo/")


def test_a_new_set_password_link_by_reset_leaves_the_outbox_once_delivered(client, carol, send_queued_mail):
    client.post(reverse("accounts:register"), registration())
    send_queued_mail()
    OutboundEmail.objects.all().delete()
    client.post(reverse("accounts:password_reset"), {"customer_number": carol.number})
    run_reset_worker()
    _assert_erased_once_delivered(send_queued_mail, "/ustaw-haslo/")


def test_an_address_confirmation_link_leaves_the_outbox_once_delivered(alice_client, send_queued_mail):
    alice_client.post(reverse("accounts:change_email"), {"email": "nowy@example.pl", "password": factories.PASSWORD})
    _assert_erased_once_delivered(send_queued_mail, "/potwierdz-e-mail/")


def test_a_to_nie_ja_link_leaves_the_outbox_once_delivered(client, carol, send_queued_mail):
    # Registering to another address than billing's sends billing's address the "to nie ja" link,
    # which cancels the account: as live as the set-password link, so erased once delivered too.
    client.post(reverse("accounts:register"), registration(email="intruz@example.com"))
    OutboundEmail.objects.exclude(template="accounts-not-me").delete()
    _assert_erased_once_delivered(send_queued_mail, "/to-nie-ja/")
