"""The one path every e-mail takes.

``send()`` and ``send_many()`` render ``emails/<name>-subject.txt``, ``-body.txt`` and
``-body.html`` in the recipient's language and store each message as an :class:`OutboundEmail`
row in the caller's transaction. Those rows are the queue: the mail worker
(``manage.py send_queued_mail``) claims due rows in batches, sends them, and marks each one sent
or sets its next attempt. Views never talk to SMTP, so an SMTP outage never loses a customer's
work, and a rolled-back change never mails.

A sent row is the record of what went to whom. When the server takes a message for some of its
recipients and refuses others for now (a 4xx at RCPT), those get it from a follow-up row: a copy
to them only, queued with the mark of the sent row and retried by the same ``retry_delay`` and
MAX_ATTEMPTS as any failed send.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ebok.files import private_path
from ebok.mail_backends import SigningEmailBackend
from ebok.models import FailingAddress, MailRateWindow, OutboundEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
BATCH_SIZE = 200
# A claimed row is due again after LEASE: a worker that died mid-batch gives its rows back. A
# live worker starts no send later than half the lease after its claim, so a row is never
# claimed by a second worker while the first may still send it.
LEASE = timedelta(minutes=10)
# Sent rows are marked in one UPDATE per MARK_EVERY messages or MARK_SECONDS, whichever comes
# first: a worker killed in between sends those few again once their lease ends (at least once).
MARK_EVERY = 50
MARK_SECONDS = 2


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
    """One e-mail for ``send_many``; the fields mean what ``send()``'s arguments do."""

    name: str
    to: str | list[str]
    context: dict
    language: str | None = None
    attachments: tuple[Attachment, ...] | list[Attachment] = ()
    dedup_key: str | None = None
    secret: bool = False
    # Extra headers (e.g. List-Unsubscribe on notices the law does not require).
    headers: dict | None = None

    def as_row(self) -> OutboundEmail:
        subject, text, html = render(self.name, self.context, self.language)
        return OutboundEmail(
            template=self.name,
            to=[self.to] if isinstance(self.to, str) else list(self.to),
            subject=subject,
            body_text=text,
            body_html=html,
            attachments=[a.as_json() for a in self.attachments],
            dedup_key=self.dedup_key,
            secret=self.secret,
            headers=dict(self.headers or {}),
        )


def send(
    name: str,
    *,
    to: str | list[str],
    context: dict | None = None,
    language: str | None = None,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
    dedup_key: str | None = None,
    secret: bool = False,
) -> OutboundEmail | None:
    """Queue one e-mail: ``send_many`` with one message.

    ``secret``: the message carries a live link (set password, reset, confirm an address). Its
    body is erased once delivered and never shown in the admin.
    """
    message = Message(name, to, context or {}, language, tuple(attachments), dedup_key, secret)
    return send_many([message])[0]


@dataclass(frozen=True)
class Recipient:
    """One addressee of mail about a customer (``accounts.models.UserManager.addressees``)."""

    email: str
    language: str | None = None  # None: the portal's default
    login_id: int | None = None  # None: an address of no login (billing's)

    def key(self, base: str | None) -> str | None:
        """A dedup key for the message to this recipient: ``base`` for an address of no login, else one per login."""
        return base if base is None or self.login_id is None else f"{base}:u{self.login_id}"


def send_each(name: str, recipients: list[Recipient], context: dict, *, dedup_key: str | None = None) -> int:
    """Queue ``name`` to each recipient, one message each in its own language, ``dedup_key`` (if
    any) made one per recipient; one INSERT. Returns how many were queued."""
    messages = [Message(name, r.email, context, r.language, dedup_key=r.key(dedup_key)) for r in recipients]
    return sum(1 for row in send_many(messages) if row is not None)


def send_many(messages: list[Message]) -> list[OutboundEmail | None]:
    """Queue e-mails in the caller's transaction; one INSERT for the lot.

    A message whose ``dedup_key`` was used before is not queued again: its place in the returned
    list is None (one more query when any message has a key).
    """
    keys = [m.dedup_key for m in messages if m.dedup_key is not None]
    used = set(OutboundEmail.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True)) if keys else ()
    rows = [None if m.dedup_key in used else m.as_row() for m in messages]
    new = [row for row in rows if row is not None]
    if not keys:
        OutboundEmail.objects.bulk_create(new)
        return rows
    try:
        with transaction.atomic():
            OutboundEmail.objects.bulk_create(new)
    except IntegrityError:
        # A concurrent sender took a key between the check and the insert (or the batch repeats
        # one): store the rows one by one and skip those whose key is taken.
        for index, row in enumerate(rows):
            if row is None:
                continue
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                if row.dedup_key is None or not OutboundEmail.objects.filter(dedup_key=row.dedup_key).exists():
                    raise  # not a used key: a real error
                rows[index] = None
    return rows


# --- the worker's side -----------------------------------------------------------------------


def claim(batch_size: int = BATCH_SIZE) -> list[OutboundEmail]:
    """Take up to ``batch_size`` due rows for this worker, for the time of the lease.

    Counts an attempt for each, so a message that kills the worker is not retried forever.
    Several workers never take the same row: PostgreSQL skips rows another claim has locked, and
    the UPDATE only takes rows still due (on any database).
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    due = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)
    with transaction.atomic():
        oldest = due.order_by("next_attempt_at").select_for_update(skip_locked=True)
        ids = list(oldest.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return []
        due.filter(pk__in=ids).update(claim=token, next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    return list(OutboundEmail.objects.filter(pk__in=ids, claim=token).order_by("pk"))


class Permanent(Exception):
    """The server refused the message for good (5xx at RCPT or DATA): ``refused`` are failing,
    ``{address: (code, reply)}``."""

    def __init__(self, reason: str, refused: dict[str, tuple[int, str]]):
        super().__init__(_replies(refused))
        self.reason, self.refused = reason, refused


def _for_good(code: int) -> bool:
    """A 5xx reply: refused for good. Anything else (4xx above all) may work later."""
    return 500 <= code < 600


def _refused_for_good(refused: dict) -> dict[str, tuple[int, str]]:
    """Of smtplib's refused recipients ({address: (code, reply)}), those refused for good."""
    return {address: (code, _text(reply)) for address, (code, reply) in refused.items() if _for_good(code)}


def _replies(refused: dict) -> str:
    """``{address: (code, reply)}`` as one line: "a@example.pl: 550 No such user; …"."""
    return "; ".join(f"{address}: {code} {_text(reply)}" for address, (code, reply) in refused.items())


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def permanent_refusal(exc: Exception, recipients: list[str]) -> Permanent | None:
    """A Permanent for a 5xx refusal of the recipients or of the message; None for anything that
    may work later (4xx, a dropped connection, a refused sender, which is our side's problem)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = exc.recipients  # {address: (code, reply)}: all of them, or smtplib would have sent
        for_good = _refused_for_good(refused)
        if for_good and len(for_good) == len(refused):  # every one of them for good
            return Permanent(FailingAddress.Reason.RECIPIENT, for_good)
        return None
    if isinstance(exc, smtplib.SMTPDataError) and _for_good(exc.smtp_code):
        reply = _text(exc.smtp_error)
        return Permanent(FailingAddress.Reason.DATA, dict.fromkeys(recipients, (exc.smtp_code, reply)))
    return None


class RateLimit:
    """The per-minute limit of EBOK_MAIL_RATE_PER_MINUTE, shared by every worker process through
    the database (one row per minute, taken under a row lock). A worker takes permits in chunks,
    so it asks once per chunk, not once per message."""

    CHUNK = MARK_EVERY

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self.left = 0  # permits this worker holds

    def take(self, wanted: int, until: float) -> bool:
        """One permit; False when none comes before ``until`` (time.monotonic())."""
        if not self.per_minute:
            return True
        while not self.left:
            self.left = self._reserve(min(wanted, self.CHUNK))
            if self.left:
                break
            now = timezone.now()
            wait = 60 - now.second - now.microsecond / 1e6 + 0.01  # until the next minute starts
            if time.monotonic() + wait > until:
                return False
            time.sleep(wait)
        self.left -= 1
        return True

    def _reserve(self, wanted: int) -> int:
        minute = timezone.now().replace(second=0, microsecond=0)
        with transaction.atomic():
            window, created = MailRateWindow.objects.select_for_update().get_or_create(minute=minute)
            if created:
                MailRateWindow.objects.filter(minute__lt=minute - timedelta(hours=1)).delete()
            granted = max(0, min(wanted, self.per_minute - window.sent))
            if granted:
                MailRateWindow.objects.filter(pk=minute).update(sent=F("sent") + granted)
        return granted


def deliver_batch(batch_size: int = BATCH_SIZE) -> tuple[int, int, int]:
    """Claim one batch and send it over one SMTP connection. Returns (claimed, sent, not sent).

    The connection (``get_connection()``) is opened once for the batch and reused for every
    message; a message the server refuses for good (5xx) marks its address failing and is not
    retried, and the connection goes on with the next one. Anything else (4xx, the server gone)
    closes the connection, and the message is retried by the back-off; the next message opens a
    fresh connection. An address known to fail (FailingAddress) is not tried: a message with no
    other recipient is "skipped" (one query a batch finds them).

    A message the server takes for some recipients is sent; of the others, those refused for good
    are marked failing at once, and those refused for now get a follow-up row (``_follow_up``),
    written with the sent row's mark: a worker killed before the mark leaves neither, and the
    row goes again to everyone when its lease ends (at least once), as any unmarked row does.
    """
    batch = claim(batch_size)
    deadline = time.monotonic() + LEASE.total_seconds() / 2
    failed = 0
    sent: list[OutboundEmail] = []  # sent, not yet marked
    # Of the sent rows, those some recipient did not get: {pk: (recipients tried, refused)},
    # recorded with the mark, so a worker killed before it leaves no follow-up row behind.
    partly: dict[int, tuple[list[str], dict]] = {}
    skipped: list[OutboundEmail] = []  # every recipient failing, not yet marked
    marked = 0
    last_mark = time.monotonic()
    limit = RateLimit(settings.EBOK_MAIL_RATE_PER_MINUTE)
    failing = _failing_among(batch)
    connection = get_connection()
    try:
        for index, email in enumerate(batch):
            recipients = [address for address in email.to if address.lower() not in failing]
            if not recipients:
                skipped.append(email)
                continue
            if limit.per_minute and not limit.left and sent:
                # Asking for permits may mean waiting for the next minute: what went out is marked first.
                marked += _mark_sent(sent, partly)
                sent, last_mark = [], time.monotonic()
            if time.monotonic() > deadline or not limit.take(len(batch) - index, deadline):
                # A slow SMTP server or the rate limit: give the rest back before the lease ends.
                _release(batch[index:])
                break
            try:
                connection.open()  # a no-op while the connection is open
                refused = _send(connection, build_message(email, recipients))
            except Exception as exc:  # SMTP down, refused, timed out, a file gone
                refusal = permanent_refusal(exc, recipients)
                if refusal is None:
                    with contextlib.suppress(Exception):
                        connection.close()  # the next message starts a fresh connection
                    if isinstance(exc, smtplib.SMTPRecipientsRefused):
                        # Every recipient refused, some for good and some for now: those refused for
                        # good are marked failing, so the retry goes to the others only.
                        _recipients_failing(exc.recipients, failing)
                else:
                    failing.update(address.lower() for address in refusal.refused)
                _failed(email, exc, refusal)
                failed += 1
                continue
            sent.append(email)  # first: whatever happens next, it is marked sent in the end
            _recipients_failing(refused, failing)
            if refused or len(recipients) < len(email.to):
                partly[email.pk] = (recipients, refused)
            if len(sent) >= MARK_EVERY or time.monotonic() - last_mark > MARK_SECONDS:
                marked += _mark_sent(sent, partly)
                sent, last_mark = [], time.monotonic()
    finally:
        marked += _mark_sent(sent, partly)  # also when interrupted: what went out is never sent again
        _skip(skipped)
        with contextlib.suppress(Exception):
            connection.close()
    return len(batch), marked, failed + len(skipped)


def _send(connection, message: EmailMultiAlternatives) -> dict[str, tuple[int, bytes]]:
    """Send over the open ``connection``; returns the recipients refused while the others took it
    (known only through ebok's SMTP backend; any other backend, e.g. the console's, refuses none)."""
    if isinstance(connection, SigningEmailBackend):
        return connection.send_one(message)
    connection.send_messages([message])
    return {}


def deliver_due(batch_size: int = BATCH_SIZE) -> tuple[int, int]:
    """Send every e-mail that is due, batch by batch. Returns (sent, not sent: failed and to be
    retried or given up, or skipped for a failing address)."""
    sent = failed = 0
    while True:
        claimed, batch_sent, batch_failed = deliver_batch(batch_size)
        if not claimed:
            return sent, failed
        sent += batch_sent
        failed += batch_failed


def retry_delay(attempts: int) -> timedelta:
    """The one back-off policy: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def _erased() -> dict:
    return {"body_text": "", "body_html": "", "attachments": []}


def _mark_sent(emails: list[OutboundEmail], partly: dict[int, tuple[list[str], dict]]) -> int:
    """Mark rows sent, in one UPDATE (and erase the bodies of secret ones: delivered, the live
    link has no reason to stay). In the same transaction, the rows of ``partly`` ({pk: (recipients
    tried, refused)}) record who did not get them, with a follow-up row for the recipients refused
    for now. Returns how many went out."""
    if not emails:
        return 0
    mine = OutboundEmail.objects.filter(pk__in=[e.pk for e in emails], claim=emails[0].claim)
    secret = [e.pk for e in emails if e.secret]
    partial = [e for e in emails if e.pk in partly]
    with transaction.atomic() if secret or partial else contextlib.nullcontext():
        for email in partial:
            _partly_delivered(email, *partly[email.pk])
        if secret:  # the sent rows only: a follow-up keeps its copy until it is delivered
            mine.filter(pk__in=secret).update(**_erased())
        count = mine.update(status=OutboundEmail.Status.SENT, sent_at=timezone.now(), claim="")
    if count < len(emails):
        log.error("%s e-mail(s) were sent after their claim ran out", len(emails) - count)
    return len(emails)


def _recipients_failing(refused: dict, failing: set[str]) -> None:
    """Mark the recipients of ``refused`` ({address: (code, reply)}) that were refused for good as
    failing addresses, and add them to the batch's ``failing`` set, so no later row tries them."""
    for_good = _refused_for_good(refused)
    if for_good:
        _mark_failing(FailingAddress.Reason.RECIPIENT, for_good)
        failing.update(address.lower() for address in for_good)


def _failing_among(batch: list[OutboundEmail]) -> set[str]:
    """The batch's recipients known to fail (lower case), in one query."""
    addresses = {address.lower() for email in batch for address in email.to}
    if not addresses:
        return set()
    return set(FailingAddress.objects.filter(address__in=addresses).values_list("address", flat=True))


def _skip(emails: list[OutboundEmail]) -> None:
    """Rows whose every recipient is failing: "skipped", not tried (their claim's attempt given
    back), and ``undelivered`` names them all; a secret one loses its body, as a failed one does."""
    if not emails:
        return
    mine = OutboundEmail.objects.filter(pk__in=[e.pk for e in emails], claim=emails[0].claim)
    with transaction.atomic():
        mine.filter(secret=True).update(**_erased())
        mine.update(status=OutboundEmail.Status.SKIPPED, undelivered=F("to"), claim="", attempts=F("attempts") - 1)
    log.info("%s e-mail(s) not sent: every recipient is a failing address", len(emails))


def _partly_delivered(email: OutboundEmail, recipients: list[str], refused: dict) -> None:
    """Record on a sent row who did not get it: failing addresses left out, and recipients the
    server refused (their replies in ``last_error``). Those refused for now (not 5xx) get it from
    a follow-up row (``_follow_up``), which ``last_error`` names."""
    refused_lower = {address.lower() for address in refused}
    undelivered = [a for a in email.to if a not in recipients or a.lower() in refused_lower]
    error = _replies(refused)
    later = {address.lower() for address, (code, _reply) in refused.items() if not _for_good(code)}
    retry = [address for address in recipients if address.lower() in later]
    follow_up = _follow_up(email, retry, error) if retry else None
    note = f"SMTP refused some recipients: {error}" if refused else ""
    if follow_up is not None:
        note = f"SMTP refused some recipients (those refused for now: retried as e-mail {follow_up.pk}): {error}"
    mine = OutboundEmail.objects.filter(pk=email.pk, claim=email.claim)
    if not mine.update(undelivered=undelivered, last_error=note[:2000]) and follow_up is not None:
        # The claim ran out and another worker took the row: it sends the message again and
        # records that delivery (at least once); a follow-up of this one would be a second.
        follow_up.delete()
    if refused:
        log.warning("e-mail %s refused for some recipients: %s", email.pk, error)


def _follow_up(email: OutboundEmail, to: list[str], error: str) -> OutboundEmail:
    """A new row for the recipients of ``email`` the server refused for now: the same message to
    ``to`` only, with the attempts counted so far, so the one retry policy tries it again later or
    gives it up like any failed send. It has its own copy of the body (a secret one too: the sent
    row's is erased) and no dedup key (the sent row holds it)."""
    copy = ("template", "subject", "body_text", "body_html", "attachments", "headers", "secret")
    fields = {name: getattr(email, name) for name in copy}
    fields |= _after_failed_attempt(email, f"refused for now for {', '.join(to)}")
    error = f"Continues e-mail {email.pk}, which the server refused for these recipients: {error}"
    return OutboundEmail.objects.create(**fields, to=to, attempts=email.attempts, last_error=error[:2000])


def _mark_failing(reason: str, refused: dict[str, tuple[int, str]]) -> None:
    """Record (or update) the refused addresses, with the server's reply."""
    now = timezone.now()
    for address, (code, reply) in refused.items():
        address = address.lower()
        fields = {"reason": reason, "smtp_code": code, "last_reply": reply[:2000]}
        updated = FailingAddress.objects.filter(address=address).update(
            **fields, failed_at=now, failures=F("failures") + 1
        )
        if not updated:
            with contextlib.suppress(IntegrityError), transaction.atomic():
                FailingAddress.objects.create(address=address, first_failed_at=now, failed_at=now, **fields)
        log.warning("address %s refused for good: %s %s", address, code, reply)


def _failed(email: OutboundEmail, exc: Exception, refusal: Permanent | None = None) -> None:
    fields = {"last_error": f"{type(exc).__name__}: {exc}"[:2000], "claim": ""}
    if refusal is not None:  # refused for good: never retried, the address is marked
        _mark_failing(refusal.reason, refusal.refused)
        fields["status"] = OutboundEmail.Status.FAILED
        fields["undelivered"] = email.to
        if email.secret:
            fields.update(_erased())
    else:
        fields.update(_after_failed_attempt(email, exc))
    OutboundEmail.objects.filter(pk=email.pk, claim=email.claim).update(**fields)


def _after_failed_attempt(email: OutboundEmail, error: Exception | str) -> dict:
    """The one retry policy, as the fields a row gets after a failed attempt of ``email``: due
    again by the back-off, or given up ("nieudany") after MAX_ATTEMPTS."""
    if email.attempts >= MAX_ATTEMPTS:
        log.error("giving up on e-mail %s after %s attempts: %s", email.pk, email.attempts, error)
        # Never delivered, never will be: a secret one's link goes too.
        return {"status": OutboundEmail.Status.FAILED, **(_erased() if email.secret else {})}
    log.warning("e-mail %s failed (attempt %s), retrying later: %s", email.pk, email.attempts, error)
    return {"next_attempt_at": timezone.now() + retry_delay(email.attempts)}


def _release(emails: list[OutboundEmail]) -> None:
    """Give unsent rows back, due now, without counting the attempt their claim counted."""
    OutboundEmail.objects.filter(pk__in=[e.pk for e in emails], claim=emails[0].claim).update(
        claim="", next_attempt_at=timezone.now(), attempts=F("attempts") - 1
    )


def purge_bodies(days: int, *, dry_run: bool = False) -> int:
    """Erase the bodies of messages sent or given up more than ``days`` ago; keep who, what and when."""
    old = OutboundEmail.objects.exclude(status=OutboundEmail.Status.PENDING).filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    )
    old = old.exclude(body_text="", body_html="", attachments=[])
    return old.count() if dry_run else old.update(**_erased())


def build_message(email: OutboundEmail, to: list[str] | None = None) -> EmailMultiAlternatives:
    """The outbox row as the EmailMessage the worker sends (to ``to``, default the row's own)."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to if to is None else to,
        headers=email.headers or None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        if "path" in item:
            path = private_path(item["path"])
            if path is None:  # gone since it was queued: a failed attempt, retried like SMTP down
                raise FileNotFoundError(item["path"])
            content = path.read_bytes()
        else:
            content = base64.b64decode(item["content_b64"])
        message.attach(_part(item, content))
    if any(item.get("inline_id") for item in email.attachments):
        # multipart/related keeps the cid: images with the HTML they belong to.
        message.mixed_subtype = "related"
    return message


def _part(item: dict, content: bytes) -> MIMEBase:
    """One attachment as a MIME part, base64-encoded in one call. (Given the bytes, Django's
    ``attach(filename, content, mimetype)`` lets the email package turn them into text and back,
    byte by byte, before encoding them: four times the cost for a 50 kB PDF.)"""
    part = MIMEBase(*item["mimetype"].split("/", 1))
    part.set_payload(base64.encodebytes(content).decode("ascii"))
    part["Content-Transfer-Encoding"] = "base64"
    disposition = "attachment"
    if item.get("inline_id"):  # shown in place by the HTML (<img src="cid:...">)
        part.add_header("Content-ID", f"<{item['inline_id']}>")
        disposition = "inline"
    part.add_header("Content-Disposition", disposition, filename=item["filename"])
    return part
