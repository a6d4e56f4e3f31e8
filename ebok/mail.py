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
from email import encoders
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
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
    # Set for a part the HTML shows in place (``<img src="cid:<inline_id>">``): it gets this
    # Content-ID and ``Content-Disposition: inline`` instead of being a download.
    inline_id: str = ""

    def as_json(self) -> dict:
        data = {"filename": self.filename, "mimetype": self.mimetype}
        if self.inline_id:
            data["inline_id"] = self.inline_id
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


@dataclass(frozen=True)
class Message:
    """One e-mail of a batch for ``send_many``; the fields mean what ``send()``'s arguments do."""

    name: str
    to: str | list[str]
    context: dict
    language: str | None = None
    attachments: tuple[Attachment, ...] | list[Attachment] = ()
    dedup_key: str | None = None


def _fields(name, to, context, language, attachments, dedup_key) -> dict:
    recipients = [to] if isinstance(to, str) else list(to)
    subject, text, html = render(name, context or {}, language)
    return {
        "template": name,
        "to": recipients,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "attachments": [a.as_json() for a in attachments],
        "dedup_key": dedup_key,
    }


def send_many(messages: list[Message]) -> list[OutboundEmail]:
    """Queue many e-mails in a constant number of queries (one INSERT, one queued task).

    For notices sent to thousands of customers at once. A dedup key that was used before
    raises IntegrityError (the caller's transaction rolls back, nothing is queued twice):
    callers record what they sent in the same transaction and never ask twice.
    """
    if not messages:
        return []
    emails = OutboundEmail.objects.bulk_create(
        [OutboundEmail(**_fields(m.name, m.to, m.context, m.language, m.attachments, m.dedup_key)) for m in messages]
    )
    ids = [e.pk for e in emails]
    transaction.on_commit(lambda: _enqueue_many(ids))
    return emails


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
    fields = _fields(name, to, context, language, attachments, dedup_key)
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


def _enqueue_many(email_ids: list[int]) -> None:
    """One task for a whole batch: queueing thousands of notices costs one row, not thousands."""
    from ebok.tasks import deliver_emails

    try:
        deliver_emails.enqueue(email_ids)
    except Exception:  # the sweeper (`send_queued_mail`) picks the rows up later
        log.exception("could not queue %s e-mails; they stay pending for send_queued_mail", len(email_ids))


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
        if item.get("inline_id"):
            message.attach(_inline_part(item, content))
        else:
            message.attach(item["filename"], content, item["mimetype"])
    if any(item.get("inline_id") for item in email.attachments):
        # multipart/related keeps the cid: images with the HTML they belong to.
        message.mixed_subtype = "related"
    return message


def _inline_part(item: dict, content: bytes) -> MIMEBase:
    maintype, subtype = item["mimetype"].split("/", 1)
    part = MIMEImage(content, _subtype=subtype) if maintype == "image" else MIMEBase(maintype, subtype)
    if maintype != "image":
        part.set_payload(content)
        encoders.encode_base64(part)
    part.add_header("Content-ID", f"<{item['inline_id']}>")
    part.add_header("Content-Disposition", "inline", filename=item["filename"])
    return part


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
