"""A recipient the server refuses for now (4xx at RCPT) while the others take the message, against
a real SMTP server on loopback (aiosmtpd): the sent row records who got it, and a follow-up row
takes the message to the refused recipient later by the one retry policy."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ebok import mail
from ebok.models import FailingAddress, OutboundEmail
from tests import factories
from tests.ebok.conftest import Refusing, worker_env

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = {"customer_number": "100001", "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/"}
LINK = "https://ebok.example.pl/nowe-haslo/SEKRETNY-TOKEN/"
BUSY = "451 4.2.0 Mailbox busy, try again later"


class RefusingOnce(Refusing):
    """Refuses each of its ``rcpt`` addresses the first time it is asked, as a busy mailbox does."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = await super().handle_RCPT(server, session, envelope, address, rcpt_options)
        self.rcpt.pop(address.lower(), None)
        return reply


def delivered(inbox: Refusing) -> list[str]:
    """Who got each message the server took, by its envelope (the To header names every recipient)."""
    return [m["X-RcptTo"] for m in inbox.messages]


def queue_to_two(**message) -> OutboundEmail:
    (row,) = mail.send_many(
        [mail.Message("accounts-password-changed", ["a@example.pl", "busy@example.pl"], CONTEXT, **message)]
    )
    return row


def text(message) -> str:
    return email.message_from_bytes(message.as_bytes(), policy=policy.default).get_body(("plain",)).get_content()


def follow_up_of(row: OutboundEmail) -> OutboundEmail:
    return OutboundEmail.objects.exclude(pk=row.pk).get()


def later(minutes: float):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes))


@pytest.mark.django_db
def test_a_recipient_refused_for_now_gets_the_message_once_by_the_back_off_and_the_other_only_once(serve):
    inbox = RefusingOnce(rcpt={"busy@example.pl": BUSY})
    serve(inbox)
    attachment = mail.Attachment(filename="informacja.txt", mimetype="text/plain", content=b"Taryfa 2027")
    unsubscribe = {"List-Unsubscribe": "<https://ebok.example.pl/wypisz/abc/>"}
    row = queue_to_two(attachments=(attachment,), headers=unsubscribe, dedup_key="changed:100001")
    before = timezone.now()
    assert mail.deliver_due() == (1, 0)
    assert delivered(inbox) == ["a@example.pl"]
    assert not FailingAddress.objects.exists()  # a 4xx is no address's fault
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.undelivered == ["busy@example.pl"]
    # A follow-up row takes the message to the refused recipient only, due by the back-off.
    follow_up = follow_up_of(row)
    assert (follow_up.status, follow_up.to, follow_up.attempts) == ("pending", ["busy@example.pl"], 1)
    assert follow_up.next_attempt_at >= before + mail.retry_delay(1)
    copied = ("template", "subject", "body_text", "body_html", "attachments", "headers", "secret")
    assert [getattr(follow_up, f) for f in copied] == [getattr(row, f) for f in copied]
    assert follow_up.dedup_key is None  # the sent row keeps the key
    # The admin tells which row continues which.
    assert f"e-mail {follow_up.pk}" in row.last_error and "busy@example.pl: 451" in row.last_error
    assert follow_up.last_error.startswith(f"Continues e-mail {row.pk},") and "451" in follow_up.last_error
    assert mail.deliver_due() == (0, 0)  # not before its back-off
    with later(minutes=1.1):
        assert mail.deliver_due() == (1, 0)  # the mailbox takes it now
        assert mail.deliver_due() == (0, 0)
    assert delivered(inbox) == ["a@example.pl", "busy@example.pl"]  # each exactly once
    assert inbox.tried == ["a@example.pl", "busy@example.pl", "busy@example.pl"]
    received = email.message_from_bytes(inbox.messages[1].as_bytes(), policy=policy.default)
    assert received["To"] == "busy@example.pl" and received["List-Unsubscribe"] == unsubscribe["List-Unsubscribe"]
    (part,) = received.iter_attachments()
    assert part.get_filename() == "informacja.txt" and part.get_content() == "Taryfa 2027"
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.attempts, follow_up.undelivered) == ("sent", 2, [])
    assert OutboundEmail.objects.count() == 2


@pytest.mark.django_db
def test_a_recipient_refused_for_now_on_every_attempt_is_given_up_after_max_attempts(serve):
    inbox = Refusing(rcpt={"busy@example.pl": "452 4.2.2 Mailbox full"})
    serve(inbox)
    row = queue_to_two()
    assert mail.deliver_due() == (1, 0)
    follow_up = follow_up_of(row)
    for _attempt in range(2, mail.MAX_ATTEMPTS + 1):
        OutboundEmail.objects.filter(pk=follow_up.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        assert mail.deliver_due() == (0, 1)  # refused for its only recipient: a failed attempt of its own
    follow_up.refresh_from_db()
    assert follow_up.status == OutboundEmail.Status.FAILED and follow_up.attempts == mail.MAX_ATTEMPTS
    assert "452" in follow_up.last_error
    with later(minutes=120):
        assert mail.deliver_due() == (0, 0)
    assert inbox.tried.count("busy@example.pl") == mail.MAX_ATTEMPTS
    assert delivered(inbox) == ["a@example.pl"]
    assert OutboundEmail.objects.count() == 2  # one follow-up, retried; never a follow-up of a follow-up
    assert not FailingAddress.objects.exists()


@pytest.mark.django_db
def test_every_recipient_refused_some_for_good_marks_those_failing_and_retries_the_others_only(serve):
    """smtplib raises when no recipient is taken: the 5xx ones are failing addresses at once, and
    the retry of the row goes to the one refused for now."""
    inbox = RefusingOnce(rcpt={"busy@example.pl": BUSY})
    inbox.rcpt["a@example.pl"] = "550 5.1.1 No such user"
    serve(inbox)
    row = queue_to_two()
    assert mail.deliver_due() == (0, 1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert list(FailingAddress.objects.values_list("address", "smtp_code")) == [("a@example.pl", 550)]
    with later(minutes=1.1):
        assert mail.deliver_due() == (1, 0)
    assert delivered(inbox) == ["busy@example.pl"]
    assert inbox.tried == ["a@example.pl", "busy@example.pl", "busy@example.pl"]  # a@ not asked again
    row.refresh_from_db()
    assert (row.status, row.undelivered) == ("sent", ["a@example.pl"])
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_a_partial_delivery_at_the_last_attempt_gives_the_refused_recipient_up_at_once(serve):
    inbox = Refusing(rcpt={"busy@example.pl": BUSY})
    serve(inbox)
    row = queue_to_two()
    OutboundEmail.objects.filter(pk=row.pk).update(attempts=mail.MAX_ATTEMPTS - 1)  # an outage took the others
    assert mail.deliver_due() == (1, 0)
    follow_up = follow_up_of(row)
    assert follow_up.status == OutboundEmail.Status.FAILED and follow_up.attempts == mail.MAX_ATTEMPTS
    with later(minutes=120):
        assert mail.deliver_due() == (0, 0)
    assert inbox.tried == ["a@example.pl", "busy@example.pl"]


@pytest.mark.django_db
def test_a_secret_messages_follow_up_keeps_its_link_until_it_is_delivered_and_the_admin_never_shows_it(serve, client):
    inbox = RefusingOnce(rcpt={"busy@example.pl": BUSY})
    serve(inbox)
    row = mail.send(
        "accounts-password-reset",
        to=["a@example.pl", "busy@example.pl"],
        context={"customer_number": "100001", "url": LINK, "minutes": 60},
        secret=True,
    )
    assert mail.deliver_due() == (1, 0)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and (row.body_text, row.body_html) == ("", "")
    follow_up = follow_up_of(row)
    assert follow_up.secret and LINK in follow_up.body_text and LINK in follow_up.body_html
    factories.login_staff(client, factories.make_staff(superuser=True))
    page = client.get(reverse("admin:ebok_outboundemail_change", args=[follow_up.pk])).content.decode()
    assert f"Continues e-mail {row.pk}," in page and "busy@example.pl" in page and "SEKRETNY-TOKEN" not in page
    with later(minutes=1.1):
        assert mail.deliver_due() == (1, 0)
    assert delivered(inbox) == ["a@example.pl", "busy@example.pl"]
    assert all(LINK in text(m) for m in inbox.messages)
    follow_up.refresh_from_db()
    assert follow_up.status == OutboundEmail.Status.SENT and (follow_up.body_text, follow_up.body_html) == ("", "")


class Stalling(Refusing):
    """Also holds the DATA of a message to stall@example.pl, so the worker is killed while it waits."""

    async def handle_DATA(self, server, session, envelope):
        if "stall@example.pl" in envelope.rcpt_tos:
            await asyncio.sleep(30)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_the_send_and_the_mark_leaves_no_follow_up_and_the_resend_makes_one(smtp_port, serve):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share pytest-django's in-memory SQLite test database")
    inbox = Stalling(rcpt={"busy@example.pl": BUSY})
    serve(inbox)
    row = queue_to_two()
    mail.send("accounts-password-changed", to="stall@example.pl", context=CONTEXT)
    env = worker_env(smtp_port, EBOK_MAIL_WORKERS="1")
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "send_queued_mail", "--once"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # The first message went out (to a@, refused for busy@) and the worker sends the next one,
        # well within MARK_SECONDS: the first is sent but not yet marked. That is when it dies.
        deadline = time.monotonic() + 30
        while "stall@example.pl" not in inbox.tried and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.02)
    finally:
        worker.kill()
        _out, err = worker.communicate(timeout=10)
    assert "stall@example.pl" in inbox.tried, err.decode()[-2000:]
    assert delivered(inbox) == ["a@example.pl"]
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING and row.claim and row.undelivered == []
    OutboundEmail.objects.exclude(pk=row.pk).delete()  # the stalled one: not what this test is about
    assert OutboundEmail.objects.count() == 1  # no follow-up of a row that is not marked sent
    # The lease ends: the row goes again to both (at least once), and only now is there a follow-up.
    with later(minutes=mail.LEASE.total_seconds() / 60 + 1):
        assert mail.deliver_due() == (1, 0)
        assert delivered(inbox) == ["a@example.pl", "a@example.pl"]
        follow_up = follow_up_of(row)
        assert follow_up.to == ["busy@example.pl"] and follow_up.attempts == 2
    inbox.rcpt.clear()
    with later(minutes=mail.LEASE.total_seconds() / 60 + 1 + mail.retry_delay(2).total_seconds() / 60 + 1):
        assert mail.deliver_due() == (1, 0)
        assert mail.deliver_due() == (0, 0)
    assert delivered(inbox) == ["a@example.pl", "a@example.pl", "busy@example.pl"]
    assert OutboundEmail.objects.count() == 2
