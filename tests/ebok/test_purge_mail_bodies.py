"""`manage.py purge_mail_bodies`: old bodies go after EBOK_MAIL_BODY_DAYS, the metadata stays."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ebok import mail
from ebok.models import OutboundEmail

pytestmark = pytest.mark.django_db
CONTEXT = {"customer_number": "100001", "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def sent(days_ago: int, status: str = OutboundEmail.Status.SENT) -> OutboundEmail:
    email = mail.send(
        "accounts-password-changed",
        to=f"{days_ago}-{status}@example.pl",
        context=CONTEXT,
        attachments=[mail.Attachment("kod.png", "image/png", content=PNG, inline_id="kod")],
    )
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=status, created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return email


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_mail_bodies", *args, stdout=out)
    return out.getvalue()


def test_it_erases_bodies_older_than_the_setting_and_keeps_who_what_and_when(settings):
    settings.EBOK_MAIL_BODY_DAYS = 30
    old, old_failed, recent = sent(31), sent(45, OutboundEmail.Status.FAILED), sent(29)
    assert "Erased the bodies of 2 e-mail(s) older than 30 days." in purge()
    for email in (old, old_failed):
        email.refresh_from_db()
        assert (email.body_text, email.body_html, email.attachments) == ("", "", [])
        assert email.subject == "Hasło do eBOK zostało zmienione" and email.to and email.template
    recent.refresh_from_db()
    assert "100001" in recent.body_text and recent.attachments
    assert "of 0 e-mail(s)" in purge()


def test_a_message_still_queued_keeps_its_body_however_old(settings):
    settings.EBOK_MAIL_BODY_DAYS = 1
    queued = sent(40, OutboundEmail.Status.PENDING)
    purge()
    queued.refresh_from_db()
    assert "100001" in queued.body_text
    assert mail.deliver_due() == (1, 0)


def test_the_setting_decides_the_age(settings):
    settings.EBOK_MAIL_BODY_DAYS = 7
    email = sent(8)
    purge()
    email.refresh_from_db()
    assert email.body_text == ""


def test_a_dry_run_counts_and_erases_nothing():
    email = sent(400)
    assert "Would erase the bodies of 1 e-mail(s)" in purge("--dry-run")
    email.refresh_from_db()
    assert "100001" in email.body_text
