"""Month-end delivery against a real SMTP server on loopback (aiosmtpd): refusals for good, an
outage in the middle, the shared rate limit, worker processes, DKIM (issue #15)."""

from __future__ import annotations

import base64
import datetime as dt
import email
import subprocess
import threading
import time
from email import policy

import dkim
import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.mail import get_connection
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ebok import mail
from ebok.models import FailingAddress, MailRateWindow, OutboundEmail
from tests import factories
from tests.ebok.conftest import Inbox, Refusing

CONTEXT = {"customer_number": "100001", "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/"}


def queue(addresses: list[str]) -> list[OutboundEmail]:
    return mail.send_many([mail.Message("accounts-password-changed", a, CONTEXT) for a in addresses])


@pytest.mark.django_db
def test_a_5xx_at_rcpt_marks_the_address_and_the_rest_of_the_batch_goes_through_once(serve):
    inbox = Refusing(rcpt={"gone@example.pl": "550 5.1.1 <gone@example.pl>: Recipient address rejected"})
    serve(inbox)
    rows = queue(["a@example.pl", "gone@example.pl", "b@example.pl"])
    assert mail.deliver_batch(batch_size=10) == (3, 2, 1)
    assert inbox.recipients() == ["a@example.pl", "b@example.pl"]
    failing = FailingAddress.objects.get()
    assert failing.address == "gone@example.pl" and failing.reason == FailingAddress.Reason.RECIPIENT
    assert failing.smtp_code == 550 and "Recipient address rejected" in failing.last_reply
    refused = OutboundEmail.objects.get(pk=rows[1].pk)
    assert refused.status == OutboundEmail.Status.FAILED and refused.attempts == 1  # never retried
    assert "550" in refused.last_error
    assert mail.deliver_due() == (0, 0)  # nothing is due again: nothing sent twice
    assert len(inbox.messages) == 2


@pytest.mark.django_db
def test_a_5xx_at_data_marks_the_address_too_and_a_4xx_is_retried_by_the_back_off(serve):
    inbox = Refusing(
        rcpt={"busy@example.pl": "450 4.2.1 Mailbox busy, try later"},
        data={"spam@example.pl": "554 5.7.1 Message rejected as spam"},
    )
    serve(inbox)
    rows = queue(["spam@example.pl", "busy@example.pl", "ok@example.pl"])
    before = timezone.now()
    assert mail.deliver_batch(batch_size=10) == (3, 1, 2)
    assert list(FailingAddress.objects.values_list("address", "reason", "smtp_code")) == [
        ("spam@example.pl", "data", 554)
    ]
    busy = OutboundEmail.objects.get(pk=rows[1].pk)
    assert busy.status == OutboundEmail.Status.PENDING and busy.next_attempt_at >= before + mail.retry_delay(1)
    assert OutboundEmail.objects.get(pk=rows[0].pk).status == OutboundEmail.Status.FAILED
    # A minute later the mailbox takes mail again: the retry goes out, once.
    inbox.rcpt.clear()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1, seconds=5)):
        assert mail.deliver_due() == (1, 0)
    assert inbox.recipients() == ["busy@example.pl", "ok@example.pl"]


@pytest.mark.django_db
def test_a_failing_address_is_not_tried_again_until_staff_clear_it_in_the_admin(serve, client):
    inbox = Refusing(rcpt={"gone@example.pl": "550 5.1.1 No such user"})
    serve(inbox)
    queue(["gone@example.pl"])
    assert mail.deliver_due() == (0, 1)
    assert inbox.tried == ["gone@example.pl"]
    # The next month's notices: the failing address is not tried, the others go as usual.
    skipped, ok = queue(["Gone@Example.pl", "ok@example.pl"])
    assert mail.deliver_due() == (1, 1)
    assert inbox.tried == ["gone@example.pl", "ok@example.pl"] and inbox.recipients() == ["ok@example.pl"]
    skipped.refresh_from_db()
    assert skipped.status == OutboundEmail.Status.SKIPPED and skipped.undelivered == ["Gone@Example.pl"]
    assert (skipped.attempts, skipped.claim) == (0, "")
    assert FailingAddress.objects.get().failures == 1  # not refused again: never asked
    assert mail.deliver_due() == (0, 0)  # a skipped row is done, not retried
    # The admin shows why.
    admin = factories.make_staff(superuser=True)
    factories.login_staff(client, admin)
    page = client.get(reverse("admin:ebok_outboundemail_changelist"), {"status": "skipped"}).content.decode()
    assert "pominięty (niedziałający adres)" in page and "Gone@Example.pl" in page
    # The customer says the mailbox works again: staff delete the mark in the admin.
    inbox.rcpt.clear()
    changelist = reverse("admin:ebok_failingaddress_changelist")
    pk = FailingAddress.objects.get().pk
    client.post(changelist, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    assert not FailingAddress.objects.exists()
    queue(["gone@example.pl"])
    assert mail.deliver_due() == (1, 0)
    assert inbox.recipients() == ["gone@example.pl", "ok@example.pl"]


@pytest.mark.django_db
def test_a_message_refused_for_some_of_its_recipients_marks_those_and_says_so_on_the_row(serve):
    inbox = Refusing(rcpt={"gone@example.pl": "550 5.1.1 <gone@example.pl>: Recipient address rejected"})
    serve(inbox)
    (row,) = mail.send_many([mail.Message("accounts-password-changed", ["a@example.pl", "gone@example.pl"], CONTEXT)])
    assert mail.deliver_due() == (1, 0)  # the others got it: sent, never sent again
    assert mail.deliver_due() == (0, 0)
    (received,) = inbox.messages
    assert received["X-RcptTo"] == "a@example.pl"
    failing = FailingAddress.objects.get()
    assert (failing.address, failing.reason, failing.smtp_code) == ("gone@example.pl", "rcpt", 550)
    assert "Recipient address rejected" in failing.last_reply
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.undelivered == ["gone@example.pl"]
    assert "gone@example.pl: 550" in row.last_error
    # The next message to both goes to the working address only: the failing one is not tried.
    inbox.tried.clear()
    (row,) = mail.send_many([mail.Message("accounts-password-changed", ["gone@example.pl", "a@example.pl"], CONTEXT)])
    assert mail.deliver_due() == (1, 0)
    assert inbox.tried == ["a@example.pl"] and inbox.messages[-1]["To"] == "a@example.pl"
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.undelivered == ["gone@example.pl"]
    assert row.last_error == ""


@pytest.mark.django_db
def test_skipping_failing_addresses_costs_the_same_queries_for_two_or_ten(serve):
    serve(Inbox())

    def queries_for(count: int) -> int:
        for i in range(count):
            FailingAddress.objects.create(address=f"x{count}-{i}@example.pl", reason="rcpt", smtp_code=550)
        queue([f"x{count}-{i}@example.pl" for i in range(count)] + ["ok@example.pl"])
        with CaptureQueriesContext(connection) as queries:
            assert mail.deliver_batch(batch_size=50) == (count + 1, 1, count)
        return len(queries)

    assert queries_for(2) == queries_for(10)


@pytest.mark.django_db
def test_an_smtp_outage_in_the_middle_loses_nothing_and_sends_nothing_twice(serve, monkeypatch):
    """The server stops after some messages of a run and comes back a few seconds later."""
    monkeypatch.setattr(mail, "MARK_EVERY", 5)
    inbox = Inbox()
    controller = serve(inbox)
    addresses = [f"k{i:02d}@example.pl" for i in range(40)]
    queue(addresses)
    stopped = threading.Event()

    def stop_after(count: int) -> None:  # the outage, from outside the worker, as a real one comes
        while len(inbox.messages) < count:
            time.sleep(0.005)
        controller.stop()
        stopped.set()

    threading.Thread(target=stop_after, args=(12,), daemon=True).start()
    sent, failed = mail.deliver_due(batch_size=10)
    assert stopped.is_set() and failed > 0 and 12 <= sent < 40
    assert sent == len(inbox.messages) == OutboundEmail.objects.filter(status="sent").count()
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert pending.count() == 40 - sent and not pending.filter(claim__gt="").exists()
    assert mail.deliver_due() == (0, 0)  # the failed ones wait for their back-off
    time.sleep(3)  # the outage (a minute in real life)
    serve(inbox)  # back, on the same port
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):  # past every back-off
        assert mail.deliver_due(batch_size=10) == (40 - sent, 0)
        assert mail.deliver_due() == (0, 0)
    assert sorted(m["To"] for m in inbox.messages) == addresses  # each exactly once
    assert len({m["Message-ID"] for m in inbox.messages}) == 40
    assert not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
    assert not FailingAddress.objects.exists()  # an outage is no address's fault


@pytest.mark.django_db
def test_the_rate_limit_per_minute_is_counted_in_the_database_for_all_workers(serve, settings, monkeypatch):
    settings.EBOK_MAIL_RATE_PER_MINUTE = 7
    # A short lease (a worker waits for the next minute only while half its lease lasts): here the
    # wait does not fit, so the worker gives the rest back instead of sleeping.
    monkeypatch.setattr(mail, "LEASE", dt.timedelta(seconds=2))
    inbox = Inbox()
    serve(inbox)
    queue([f"k{i}@example.pl" for i in range(10)])
    minute = (timezone.now() + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)  # all due by then
    with time_machine.travel(minute + dt.timedelta(seconds=5), tick=False):
        # Another worker already sent 4 this minute: 3 are left for this one.
        MailRateWindow.objects.create(minute=minute, sent=4)
        claimed, sent, failed = mail.deliver_batch(batch_size=10)
        assert (claimed, sent, failed) == (10, 3, 0)  # the rest given back, no attempt counted
    assert MailRateWindow.objects.get(minute=minute).sent == 7
    assert len(inbox.messages) == 3
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 3
    rest = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert rest.count() == 7 and set(rest.values_list("attempts", "claim")) == {(0, "")}
    with time_machine.travel(minute + dt.timedelta(minutes=1, seconds=1), tick=False):
        assert mail.deliver_batch(batch_size=10) == (7, 7, 0)  # a new minute, 7 more
    assert len(inbox.messages) == 10


def test_permits_come_back_each_minute_and_a_wait_past_the_deadline_gives_up(db, settings):
    limit = mail.RateLimit(2)
    minute = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(minute + dt.timedelta(seconds=59, microseconds=900_000)):
        assert limit.take(5, until=time.monotonic() + 5) and limit.take(5, until=time.monotonic() + 5)
        # The minute is used up; the next one starts in 0.1 s: the worker waits for it.
        assert limit.take(5, until=time.monotonic() + 5)
    assert sum(MailRateWindow.objects.values_list("sent", flat=True)) == 4  # two minutes, two permits each
    MailRateWindow.objects.update(sent=2)
    with time_machine.travel(minute + dt.timedelta(minutes=1, seconds=1)):
        limit.left = 0
        assert not limit.take(5, until=time.monotonic() + 1)  # a minute's wait does not fit: give up


@pytest.fixture
def dkim_key(tmp_path, settings):
    """A fresh RSA key (openssl, as docs/deployment.md makes one); returns the DNS TXT record."""
    path = tmp_path / "dkim.pem"
    openssl = ["openssl"]
    subprocess.run([*openssl, "genrsa", "-out", str(path), "2048"], check=True, capture_output=True)  # noqa: S603
    public = subprocess.run(  # noqa: S603
        [*openssl, "rsa", "-in", str(path), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    settings.EBOK_DKIM_SELECTOR, settings.EBOK_DKIM_DOMAIN, settings.EBOK_DKIM_KEY_FILE = (
        "ebok",
        "mpec.example.pl",
        path,
    )
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


@pytest.mark.django_db
def test_with_a_dkim_key_every_message_is_signed_and_verifies_against_the_public_key(smtp_port, settings, dkim_key):
    settings.EMAIL_BACKEND = "ebok.mail_backends.SigningEmailBackend"
    raw: list[bytes] = []

    class Raw(Inbox):
        async def handle_DATA(self, server, session, envelope):
            raw.append(envelope.original_content)
            return "250 OK"

    controller = Controller(Raw(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        queue(["alice@example.pl"])
        assert mail.deliver_due() == (1, 0)
    finally:
        controller.stop()
    (data,) = raw
    assert data.startswith(b"DKIM-Signature:")

    def dns(name, timeout=5):
        return dkim_key if name == b"ebok._domainkey.mpec.example.pl." else None

    assert dkim.verify(data, dnsfunc=dns)
    tampered = data.replace(b"Subject: ", b"Subject: Re: ", 1)
    assert not dkim.verify(tampered, dnsfunc=dns)
    signature = email.message_from_bytes(data, policy=policy.default)["DKIM-Signature"]
    assert "d=mpec.example.pl" in signature and "s=ebok" in signature


def test_without_a_key_the_backend_is_djangos_smtp_backend_unsigned(settings):
    settings.EMAIL_BACKEND = "ebok.mail_backends.SigningEmailBackend"
    settings.EBOK_DKIM_KEY_FILE = ""
    assert get_connection().dkim_key is None


@pytest.mark.django_db
def test_a_messages_extra_headers_reach_the_server(start_server):
    inbox = start_server()
    headers = {
        "List-Unsubscribe": "<https://ebok.example.pl/wypisz/abc/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    mail.send_many([mail.Message("accounts-password-changed", "alice@example.pl", CONTEXT, headers=headers)])
    assert mail.deliver_due() == (1, 0)
    (received,) = inbox.messages
    assert received["List-Unsubscribe"] == "<https://ebok.example.pl/wypisz/abc/>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
