"""What was announced to whom: the records that make every notice go out once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from billing.models import Customer, Document, OtherDocument
from ebok.models import OutboundEmail


class DocumentNotice(models.Model):
    """One new document, announced to one login with access to its customer (``email``) or
    knowingly not (``email`` empty: no notices wanted, or no address). Written in the same
    transaction as the e-mail it went in, and unique per login and document: a re-run, a retry or
    a concurrent run never announces it twice to the same login."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+", verbose_name=_("użytkownik"))
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="+", verbose_name=_("odbiorca"))
    document = models.ForeignKey(
        Document,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("dokument rozliczeniowy"),
    )
    other_document = models.ForeignKey(
        OtherDocument, models.CASCADE, null=True, blank=True, related_name="notices", verbose_name=_("dokument")
    )
    email = models.ForeignKey(
        OutboundEmail, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("wiadomość")
    )
    pdf_attached = models.BooleanField(_("PDF w załączniku"), default=False)
    at = models.DateTimeField(_("kiedy"), default=timezone.now)

    class Meta:
        verbose_name = _("powiadomienie o dokumencie")
        verbose_name_plural = _("powiadomienia o dokumentach")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=True, other_document__isnull=False)
                | Q(document__isnull=False, other_document__isnull=True),
                name="notice_one_document",
            ),
            models.UniqueConstraint(fields=["user", "document"], name="notice_once_per_login_document"),
            models.UniqueConstraint(fields=["user", "other_document"], name="notice_once_per_login_other"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.document_id or self.other_document_id} → {self.user_id}"


class PaymentReminder(models.Model):
    """One reminder about one overdue document to one login with access to its customer; at most
    one per login and document per EBOK_REMINDER_REPEAT_DAYS."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+", verbose_name=_("użytkownik"))
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="+", verbose_name=_("odbiorca"))
    document = models.ForeignKey(
        Document, models.CASCADE, related_name="reminders", verbose_name=_("dokument rozliczeniowy")
    )
    email = models.ForeignKey(
        OutboundEmail, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("wiadomość")
    )
    rest = models.DecimalField(_("kwota do zapłaty"), max_digits=14, decimal_places=2)
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)

    class Meta:
        verbose_name = _("przypomnienie o płatności")
        verbose_name_plural = _("przypomnienia o płatnościach")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["user", "document", "sent_at"], name="reminder_login_document_sent")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.sent_at:%Y-%m-%d}"
