"""The one path every e-mail takes.

``send()`` renders ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html`` in the
recipient's language, stores the result as an :class:`OutboundEmail` in the current
transaction, and queues its delivery after commit. Views never talk to SMTP, so an SMTP
outage never loses a customer's work.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ebok.models import OutboundEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    path: str = ""  # relative to PRIVATE_ROOT
    content: bytes = b""

    def as_json(self) -> dict:
        data = {"filename": self.filename, "mimetype": self.mimetype}
        if self.path:
            data["path"] = self.path
        else:
            data["content_b64"] = base64.b64encode(self.content).decode("ascii")
        return data


def base_context() -> dict:
    return {
        "site_url": settings.EBOK_SITE_URL,
        "utility_name": settings.EBOK_UTILITY_NAME,
        "utility_short_name": settings.EBOK_UTILITY_SHORT_NAME,
        "utility_phone": settings.EBOK_UTILITY_PHONE,
        "utility_email": settings.EBOK_UTILITY_EMAIL,
    }


def render(name: str, context: dict, language: str | None = None) -> tuple[str, str, str]:
    """Render subject, text body and HTML body of ``emails/<name>-*`` in ``language``."""
    ctx = {**base_context(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    return subject, text, html


def send(
    name: str,
    *,
    to: str | list[str],
    context: dict | None = None,
    language: str | None = None,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
    dedup_key: str | None = None,
) -> OutboundEmail | None:
    """Queue an e-mail. With ``dedup_key``, a second call with the same key queues nothing.

    Returns the stored message, or None when ``dedup_key`` was already used.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    subject, text, html = render(name, context or {}, language)
    fields = {
        "template": name,
        "to": recipients,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "attachments": [a.as_json() for a in attachments],
        "dedup_key": dedup_key,
    }
    if dedup_key is not None:
        if OutboundEmail.objects.filter(dedup_key=dedup_key).exists():
            return None
        try:
            with transaction.atomic():
                email = OutboundEmail.objects.create(**fields)
        except IntegrityError:  # a concurrent sender took the key first
            return None
    else:
        email = OutboundEmail.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, run_after=None) -> None:
    from ebok.tasks import deliver_email

    try:
        task = deliver_email.using(run_after=run_after) if run_after else deliver_email
        task.enqueue(email_id)
    except Exception:  # the sweeper (`send_queued_mail`) picks the row up later
        log.exception("could not queue e-mail %s; it stays pending for send_queued_mail", email_id)


def _build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        if "path" in item:
            content = (Path(settings.PRIVATE_ROOT) / item["path"]).read_bytes()
        else:
            content = base64.b64decode(item["content_b64"])
        message.attach(item["filename"], content, item["mimetype"])
    return message


def deliver(email_id: int) -> bool:
    """Send one queued e-mail now. Returns True when it went out (now or before)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None or email.status == OutboundEmail.Status.SENT:
            return email is not None
        if email.status == OutboundEmail.Status.FAILED:
            return False
        try:
            _build_message(email).send()
        except Exception as exc:  # SMTP down, refused, timed out: try again later
            email.attempts += 1
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
                log.error("giving up on e-mail %s after %s attempts: %s", email.pk, email.attempts, exc)
            else:
                email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
                log.warning("e-mail %s failed (attempt %s), retrying later: %s", email.pk, email.attempts, exc)
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if email.status == OutboundEmail.Status.PENDING:
                run_after = email.next_attempt_at
                transaction.on_commit(lambda: _enqueue(email.pk, run_after))
            return False
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["status", "sent_at", "attempts"])
        return True


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver_due(limit: int | None = None) -> tuple[int, int]:
    """Send every pending e-mail that is due. Returns (sent, failed)."""
    due = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:limit] if limit else due.values_list("pk", flat=True))
    sent = sum(1 for pk in ids if deliver(pk))
    return sent, len(ids) - sent
