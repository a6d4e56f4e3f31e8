"""The mail queue against a real SMTP server on loopback (aiosmtpd): delivery, and an outage."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

from django.utils import timezone

from ebok import mail
from ebok.models import OutboundEmail


def _queue() -> OutboundEmail:
    return mail.send(
        "accounts-set-password",
        to="carol@example.pl",
        context={"customer_number": "100003", "url": "https://ebok.example.pl/ustaw-haslo/abc/", "hours": 48},
    )


def test_a_queued_message_reaches_a_real_smtp_server(db, start_server):
    inbox = start_server()
    queued = _queue()
    assert mail.deliver_due() == (1, 0)
    (received,) = inbox.messages
    parsed = email.message_from_bytes(received.as_bytes(), policy=policy.default)
    assert parsed["To"] == "carol@example.pl"
    assert "ebok@mpec.example.pl" in parsed["From"]
    assert parsed["Subject"] == "Ustaw hasło do portalu eBOK"
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert "https://ebok.example.pl/ustaw-haslo/abc/" in text
    assert 'href="https://ebok.example.pl/ustaw-haslo/abc/"' in html
    queued.refresh_from_db()
    assert queued.status == OutboundEmail.Status.SENT and queued.attempts == 1


def test_an_smtp_outage_keeps_the_message_and_a_later_retry_sends_it_once(db, smtp_port, start_server):
    queued = _queue()
    # Nothing listens on the port yet: the connection is refused.
    assert mail.deliver_due() == (0, 1)
    queued.refresh_from_db()
    assert queued.status == OutboundEmail.Status.PENDING
    assert queued.attempts == 1
    assert "Connection" in queued.last_error or "refused" in queued.last_error.lower()
    assert queued.next_attempt_at > timezone.now()
    # Not due yet: a sweep now sends nothing.
    inbox = start_server()
    assert mail.deliver_due() == (0, 0)
    assert inbox.messages == []
    # The retry time comes; the server is back.
    OutboundEmail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert mail.deliver_due() == (1, 0)
    assert mail.deliver_due() == (0, 0)  # a second round sends nothing more
    assert len(inbox.messages) == 1
    queued.refresh_from_db()
    assert queued.status == OutboundEmail.Status.SENT and queued.attempts == 2
