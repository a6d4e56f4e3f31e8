"""ebok.mail: a batch of e-mails in one INSERT (send_many), and inline parts for cid: images."""

from __future__ import annotations

import email
import time
from email import policy

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ebok import mail
from ebok.models import OutboundEmail
from tests.threads import run_at_once

pytestmark = pytest.mark.django_db
CONTEXT = {"customer_number": "100001", "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/"}


def message(to: str, **kw) -> mail.Message:
    return mail.Message(name="accounts-password-changed", to=to, context=CONTEXT, **kw)


def test_send_many_stores_every_message_in_one_query(send_queued_mail):
    with CaptureQueriesContext(connection) as queries:
        emails = mail.send_many([message(f"k{i}@example.pl", language="en" if i else "pl") for i in range(20)])
    assert len(queries) == 1 and len(emails) == 20
    assert all(e.pk for e in emails)
    outbox = send_queued_mail()
    assert sorted(m.to[0] for m in outbox) == sorted(f"k{i}@example.pl" for i in range(20))
    assert '<html lang="pl">' in OutboundEmail.objects.get(to=["k0@example.pl"]).body_html
    assert '<html lang="en">' in OutboundEmail.objects.get(to=["k1@example.pl"]).body_html


def test_send_many_skips_a_used_dedup_key_and_queues_the_rest(db):
    (first,) = mail.send_many([message("a@example.pl", dedup_key="k1")])
    again, other = mail.send_many([message("b@example.pl", dedup_key="k1"), message("c@example.pl", dedup_key="k2")])
    assert again is None and other.pk
    assert sorted(e.to[0] for e in OutboundEmail.objects.all()) == ["a@example.pl", "c@example.pl"]


def test_send_skips_a_used_dedup_key_like_send_many(db):
    assert mail.send("accounts-password-changed", to="a@example.pl", context=CONTEXT, dedup_key="k1")
    assert mail.send("accounts-password-changed", to="b@example.pl", context=CONTEXT, dedup_key="k1") is None
    assert mail.send_many([message("c@example.pl", dedup_key="k1")]) == [None]
    assert OutboundEmail.objects.count() == 1


def test_a_key_repeated_within_one_batch_is_queued_once(db):
    first, second = mail.send_many([message("a@example.pl", dedup_key="k1"), message("b@example.pl", dedup_key="k1")])
    assert first.pk and second is None
    assert OutboundEmail.objects.count() == 1


def test_an_inline_attachment_gets_a_content_id_and_inline_disposition(send_queued_mail):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    mail.send(
        "accounts-password-changed",
        to="a@example.pl",
        context=CONTEXT,
        attachments=[
            mail.Attachment("kod.png", "image/png", content=png, inline_id="kod-1"),
            mail.Attachment("plik.pdf", "application/pdf", content=b"%PDF-1.4"),
        ],
    )
    (sent,) = send_queued_mail()
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/related"
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert parts["image/png"]["Content-ID"] == "<kod-1>"
    assert parts["image/png"].get_content_disposition() == "inline"
    assert parts["image/png"].get_content() == png
    assert parts["application/pdf"].get_content_disposition() == "attachment"


def test_without_inline_parts_the_message_stays_multipart_mixed(send_queued_mail):
    mail.send("accounts-password-changed", to="a@example.pl", context=CONTEXT)
    (sent,) = send_queued_mail()
    assert email.message_from_bytes(sent.message().as_bytes()).get_content_type() == "multipart/alternative"


@pytest.mark.django_db(transaction=True)
def test_two_senders_of_one_key_at_once_queue_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions (CI runs it)")

    def send_in_a_transaction():
        with transaction.atomic():
            email, _other = mail.send_many([message("a@example.pl", dedup_key="k1"), message("b@example.pl")])
            time.sleep(0.2)  # both have checked the key before either commits
            return email

    results = run_at_once(send_in_a_transaction, 2)
    assert sorted(e is None for e in results) == [False, True]
    assert OutboundEmail.objects.filter(dedup_key="k1").count() == 1
    assert OutboundEmail.objects.filter(to=["b@example.pl"]).count() == 2
