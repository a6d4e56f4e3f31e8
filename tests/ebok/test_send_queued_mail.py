"""The mail worker (`manage.py send_queued_mail`): the outbox rows are the one queue.

Delivery to a real server and an outage are in test_mail_smtp.py; here: claims and their lease,
batches, two workers at once, and the loop as a process of its own.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ebok import mail
from ebok.models import OutboundEmail
from tests.ebok.conftest import worker_env
from tests.threads import run_at_once

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = {"customer_number": "100001", "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/"}


def queue(count: int, start: int = 0) -> list[OutboundEmail]:
    return mail.send_many(
        [
            mail.Message(name="accounts-password-changed", to=f"k{i}@example.pl", context=CONTEXT)
            for i in range(start, start + count)
        ]
    )


def addresses(count: int) -> list[str]:
    return sorted(f"k{i}@example.pl" for i in range(count))


@pytest.mark.django_db
def test_once_sends_everything_due_in_batches_and_marks_it_sent():
    queue(7)
    out = StringIO()
    call_command("send_queued_mail", "--once", "--batch-size", "3", stdout=out)
    assert "sent: 7, failed: 0" in out.getvalue()
    assert sorted(m.to[0] for m in django_mail.outbox) == addresses(7)
    assert set(OutboundEmail.objects.values_list("status", "attempts", "claim")) == {("sent", 1, "")}
    call_command("send_queued_mail", "--once", stdout=StringIO())
    assert len(django_mail.outbox) == 7


@pytest.mark.django_db
def test_nothing_of_a_rolled_back_change_is_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(2)
        raise RuntimeError("the change that caused the mail failed")
    assert mail.deliver_due() == (0, 0)
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_a_claimed_row_waits_for_its_lease_then_comes_back_when_the_worker_died():
    (email,) = queue(1)
    (claimed,) = mail.claim()  # a worker takes the row and dies before sending it
    assert claimed.pk == email.pk and claimed.claim
    assert claimed.next_attempt_at >= timezone.now() + mail.LEASE - dt.timedelta(minutes=1)
    assert mail.deliver_due() == (0, 0)  # other workers leave it alone while the lease runs
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert mail.deliver_due() == (1, 0)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 2 and email.claim == ""
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_a_slow_relay_makes_the_worker_give_back_what_it_cannot_send_within_half_the_lease(monkeypatch, start_server):
    monkeypatch.setattr(mail, "LEASE", dt.timedelta(seconds=0.6))  # a short lease, not a stub: the real path runs
    inbox = start_server(delay=0.2)
    queue(6)
    claimed, sent, failed = mail.deliver_batch(batch_size=6)
    assert claimed == 6 and failed == 0 and 1 <= sent < 6
    assert len(inbox.messages) == sent
    rest = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert rest.count() == 6 - sent
    assert set(rest.values_list("claim", "attempts")) == {("", 0)}  # due again now, no attempt counted
    assert all(e.next_attempt_at <= timezone.now() for e in rest)


@pytest.mark.django_db
def test_a_failure_retries_by_the_back_off_and_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    (email,) = queue(1)
    before = timezone.now()
    assert mail.deliver_due() == (0, 1)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING and email.attempts == 1 and email.claim == ""
    assert email.next_attempt_at >= before + mail.retry_delay(1)
    OutboundEmail.objects.filter(pk=email.pk).update(
        attempts=mail.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert mail.deliver_due() == (0, 1)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == mail.MAX_ATTEMPTS
    assert mail.deliver_due() == (0, 0)
    assert [mail.retry_delay(n) for n in (1, 2, 3, 12)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 60)]


@pytest.mark.django_db
def test_a_secret_message_given_up_loses_its_link_too(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    email = mail.send(
        "accounts-password-reset",
        to="alice@example.pl",
        context={"customer_number": "100001", "url": "https://ebok.example.pl/nowe-haslo/TOKEN/", "minutes": 60},
        secret=True,
    )
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=mail.MAX_ATTEMPTS - 1)
    assert mail.deliver_due() == (0, 1)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and (email.body_text, email.body_html) == ("", "")
    assert email.subject and email.last_error


@pytest.mark.django_db
def test_a_batch_costs_a_claim_and_one_update_per_mark_every_messages_not_one_per_message():
    def queries_for(count: int) -> int:
        queue(count, start=OutboundEmail.objects.count())
        with CaptureQueriesContext(connection) as queries:
            assert mail.deliver_batch(batch_size=count) == (count, count, 0)
        return len(queries)

    assert queries_for(2 * mail.MARK_EVERY) == queries_for(mail.MARK_EVERY) + 1 == queries_for(3) + 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_row_exactly_once(start_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions (CI runs it)")
    inbox = start_server(delay=0.005)  # each message takes a moment, so the two workers overlap
    queue(120)
    results = run_at_once(lambda: mail.deliver_due(batch_size=4), 2)
    assert inbox.recipients() == addresses(120)  # every row once, none twice
    assert sorted(sent for sent, _failed in results)[0] > 0, "both workers should have sent some"
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db(transaction=True)
def test_the_loop_sends_what_is_queued_while_it_runs_and_stops_on_sigterm(smtp_port, start_server):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share pytest-django's in-memory SQLite test database")
    inbox = start_server()
    env = worker_env(smtp_port)
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "send_queued_mail", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        queue(3)  # committed (transaction=True): the worker sees them
        deadline = time.monotonic() + 30
        while len(inbox.messages) < 3 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        queue(2, start=3)  # queued while it waits
        while len(inbox.messages) < 5 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err.decode()[-2000:]
    assert inbox.recipients() == addresses(5)
    assert b"sent: " in out
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_an_attachment_gone_from_the_private_store_is_a_failed_attempt_retried_later(settings):
    (settings.PRIVATE_ROOT / "faktura.pdf").write_bytes(b"%PDF-1.4 test")
    outside = settings.PRIVATE_ROOT.parent / "outside.pdf"
    outside.write_bytes(b"%PDF-1.4 not ours")
    attachments = {
        "present": mail.Attachment(filename="faktura.pdf", mimetype="application/pdf", path="faktura.pdf"),
        "gone": mail.Attachment(filename="faktura.pdf", mimetype="application/pdf", path="usunieta.pdf"),
        "outside": mail.Attachment(filename="faktura.pdf", mimetype="application/pdf", path="../outside.pdf"),
    }
    rows = {
        key: mail.send("accounts-password-changed", to=f"{key}@example.pl", context=CONTEXT, attachments=[a])
        for key, a in attachments.items()
    }
    mail.deliver_due()
    for row in rows.values():
        row.refresh_from_db()
    assert rows["present"].status == OutboundEmail.Status.SENT
    for key in ("gone", "outside"):  # never read from outside PRIVATE_ROOT
        assert rows[key].status == OutboundEmail.Status.PENDING, key
        assert rows[key].last_error.startswith("FileNotFoundError"), rows[key].last_error
        assert rows[key].next_attempt_at > timezone.now()
    assert [m.to for m in django_mail.outbox] == [["present@example.pl"]]


@pytest.mark.django_db(transaction=True)
def test_workers_from_the_setting_send_everything_once_between_them(smtp_port, start_server):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes cannot share pytest-django's in-memory SQLite test database")
    inbox = start_server(delay=0.01)  # each message takes a moment, so the workers overlap
    env = worker_env(smtp_port, EBOK_MAIL_WORKERS="3")
    queue(60)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "send_queued_mail", "--once", "--batch-size", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().count("sent: ") == 3  # three processes, each reporting its share
    assert inbox.recipients() == addresses(60)
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_workers_must_be_at_least_one():
    with pytest.raises(CommandError):
        call_command("send_queued_mail", "--once", "--workers", "0")
