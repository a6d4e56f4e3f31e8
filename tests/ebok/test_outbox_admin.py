"""The outbox in the admin: read-only, and a message with a live link never shows its body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ebok import mail
from ebok.models import OutboundEmail
from tests import factories

LINK = "https://ebok.example.pl/nowe-haslo/SEKRETNY-TOKEN/"


@pytest.fixture
def staff_client(admin_login, db):
    return admin_login(factories.make_staff("admin", superuser=True))


def _queue(secret: bool) -> OutboundEmail:
    return mail.send(
        "accounts-password-reset",
        to="alice@example.pl",
        context={"customer_number": "100001", "url": LINK, "minutes": 60},
        secret=secret,
    )


def _change_page(client, email: OutboundEmail) -> str:
    response = client.get(reverse("admin:ebok_outboundemail_change", args=[email.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_queued_secret_message_shows_its_metadata_but_never_its_link(staff_client, send_queued_mail):
    email = _queue(secret=True)
    page = _change_page(staff_client, email)
    assert "SEKRETNY-TOKEN" not in page
    assert "alice@example.pl" in page and email.subject in page
    listing = staff_client.get(reverse("admin:ebok_outboundemail_changelist") + "?q=alice").content.decode()
    assert email.subject in listing and "SEKRETNY-TOKEN" not in listing
    send_queued_mail()
    assert "SEKRETNY-TOKEN" not in _change_page(staff_client, email)


def test_an_ordinary_message_shows_its_body(staff_client):
    email = _queue(secret=False)
    assert "SEKRETNY-TOKEN" in _change_page(staff_client, email)


def test_nobody_adds_messages_in_the_admin(staff_client):
    assert staff_client.get(reverse("admin:ebok_outboundemail_add")).status_code == 403
