"""Cross-cutting records: the durable outbox every e-mail passes through."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One e-mail, rendered and stored in the same transaction as the change that caused it.

    The rows are the mail queue (ebok.mail): the worker `manage.py send_queued_mail` claims due
    rows (``claim`` and a lease in ``next_attempt_at``), sends them and marks them sent; an SMTP
    failure keeps the row pending with a later ``next_attempt_at``, so nothing is lost and
    nothing is sent twice. A ``secret`` message (a live link) loses its body once delivered.
    A failing address (FailingAddress) is never tried: a row with no other recipient is skipped.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("w kolejce")
        SENT = "sent", _("wysłany")
        FAILED = "failed", _("nieudany")
        # Not tried: every recipient is a failing address (FailingAddress).
        SKIPPED = "skipped", _("pominięty (niedziałający adres)")

    template = models.CharField(_("szablon"), max_length=100)
    to = models.JSONField(_("adresaci"))
    subject = models.CharField(_("temat"), max_length=250)
    body_text = models.TextField(_("treść"))
    body_html = models.TextField(_("treść HTML"), blank=True)
    # [{"path": <relative to PRIVATE_ROOT>, "filename": ..., "mimetype": ...}] or inline {"content_b64": ...}
    attachments = models.JSONField(_("załączniki"), default=list, blank=True)
    # Set for mail that must go at most once (e.g. "new documents" per customer and import).
    dedup_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(_("stan"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("próby"), default=0)
    last_error = models.TextField(_("ostatni błąd"), blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("następna próba"), default=timezone.now)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    # Set while a worker holds the row (until next_attempt_at, the lease), so only it marks the row.
    claim = models.CharField(max_length=32, blank=True, default="")
    # Carries a live link (set password, reset, confirm an address): the body is erased once
    # delivered and never shown in the admin.
    secret = models.BooleanField(_("zawiera link jednorazowy"), default=False)
    # Extra headers, e.g. List-Unsubscribe on notices the law does not require (RFC 8058).
    headers = models.JSONField(_("nagłówki"), default=dict, blank=True)
    # The recipients of ``to`` who did not get it: failing addresses left out, and those the
    # server refused (the reply in ``last_error``), also when the others got it. Those refused for
    # now (4xx) get it from a follow-up row, a copy to them only that ``last_error`` names.
    undelivered = models.JSONField(_("nie doręczono do"), default=list, blank=True)

    class Meta:
        verbose_name = _("wiadomość e-mail")
        verbose_name_plural = _("wiadomości e-mail")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due")]

    def __str__(self) -> str:
        return f"{self.template} → {', '.join(self.to)}"


class AuditEvent(models.Model):
    """One security-relevant event: a failed login, a registration, a reset, a staff change.

    Written by ``ebok.audit.audit()`` beside its log line; staff with the view permission read
    them in the admin, and nobody edits them there.
    """

    event = models.CharField(_("zdarzenie"), max_length=64, db_index=True)
    at = models.DateTimeField(_("czas"), default=timezone.now, db_index=True)
    actor = models.CharField(_("kto"), max_length=150, blank=True)
    customer_number = models.CharField(_("numer odbiorcy"), max_length=32, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    request_id = models.CharField(_("identyfikator żądania"), max_length=64, blank=True)
    details = models.JSONField(_("szczegóły"), default=dict, blank=True)

    class Meta:
        verbose_name = _("zdarzenie audytowe")
        verbose_name_plural = _("dziennik audytu")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event}"


class FailingAddress(models.Model):
    """An address a mail server refused for good (a 5xx reply at RCPT or DATA).

    Written by the mail worker (ebok.mail), which sends nothing more to the address while the row
    exists (the outbox rows show "skipped"); the customer whose login address it is sees a banner
    until they change it (a confirmed change removes the row), staff see the list in the admin
    (deleting a row means "fixed": mail goes to the address again), and billing gets the e-invoice
    customers among them (``manage.py export_failing_addresses``) to send paper.
    """

    class Reason(models.TextChoices):
        RECIPIENT = "rcpt", _("adres odrzucony (RCPT)")
        DATA = "data", _("wiadomość odrzucona (DATA)")

    address = models.CharField(_("adres e-mail"), max_length=254, unique=True)  # lower case
    reason = models.CharField(_("powód"), max_length=4, choices=Reason.choices)
    smtp_code = models.PositiveSmallIntegerField(_("kod SMTP"))
    last_reply = models.TextField(_("ostatnia odpowiedź serwera"), blank=True)
    first_failed_at = models.DateTimeField(_("pierwszy błąd"), default=timezone.now)
    failed_at = models.DateTimeField(_("ostatni błąd"), default=timezone.now)
    failures = models.PositiveIntegerField(_("odrzucone wiadomości"), default=1)

    class Meta:
        verbose_name = _("niedziałający adres e-mail")
        verbose_name_plural = _("niedziałające adresy e-mail")
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return self.address


class MailRateWindow(models.Model):
    """Messages handed to SMTP in one minute, by all mail workers together (the per-minute rate
    limit EBOK_MAIL_RATE_PER_MINUTE; a row per minute, old rows removed as new ones come)."""

    minute = models.DateTimeField(primary_key=True)
    sent = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.sent}"
