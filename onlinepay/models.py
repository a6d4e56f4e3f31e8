"""Online payments: one row per attempt to pay one or more documents through the gateway.

The row is django-payments' ``BasePayment`` (variant, status, token, the gateway's transaction id,
amounts) plus what the portal needs: whose it is, which documents at which amounts, a short reference
that travels in the transfer title back to billing, and when billing booked it. Every change of state
goes through ``change_status`` (the one django-payments' providers call), which refuses to leave a
final state, keeps one ``OnlinePaymentEvent`` per change and writes the audit log.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from payments import PaymentStatus
from payments.models import BasePayment
from payments.signals import status_changed

from billing.models import MONEY
from ebok.audit import audit
from ebok.links import absolute_url

log = logging.getLogger(__name__)

# States that never change again: money taken, or nothing will be taken under this order.
FINAL = frozenset({PaymentStatus.CONFIRMED, PaymentStatus.REJECTED, PaymentStatus.CANCELLED, PaymentStatus.ERROR})
# The order of the two open states: a late "NEW" never takes a payment back from "waiting for the bank".
OPEN_ORDER = {PaymentStatus.WAITING: 0, PaymentStatus.INPUT: 1}

STATUS_LABELS = {
    PaymentStatus.WAITING: _("utworzona"),
    PaymentStatus.INPUT: _("czeka na potwierdzenie banku"),
    PaymentStatus.CONFIRMED: _("opłacona"),
    PaymentStatus.REJECTED: _("odrzucona"),
    PaymentStatus.CANCELLED: _("anulowana"),
    PaymentStatus.ERROR: _("nie rozpoczęta (błąd bramki)"),
    PaymentStatus.PREAUTH: _("wstępnie autoryzowana"),
    PaymentStatus.REFUNDED: _("zwrócona"),
}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_reference() -> str:
    return "EBOK" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class OnlinePayment(BasePayment):
    reference = models.CharField(_("referencja"), max_length=20, unique=True, default=new_reference, editable=False)
    customer = models.ForeignKey(
        "billing.Customer", models.PROTECT, related_name="online_payments", verbose_name=_("odbiorca")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("login")
    )
    language = models.CharField(_("język"), max_length=8, default="pl")
    gateway_status = models.CharField(_("status w bramce"), max_length=40, blank=True)
    confirmed_at = models.DateTimeField(_("opłacona"), null=True, blank=True)
    booked_at = models.DateTimeField(_("zaksięgowana"), null=True, blank=True)
    booked_payment_id = models.CharField(_("wpłata w systemie rozliczeniowym"), max_length=60, blank=True)
    # The gateway's page for this order (PayU's redirectUri): a second start of the same payment goes back there.
    gateway_url = models.URLField(_("strona płatności w bramce"), max_length=1000, blank=True, editable=False)

    class Meta:
        verbose_name = _("płatność online")
        verbose_name_plural = _("płatności online")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["customer", "status"], name="onlinepay_customer_status"),
            models.Index(fields=["status", "created"], name="onlinepay_status_created"),
        ]
        constraints = [models.UniqueConstraint(fields=["token"], name="onlinepay_token_unique")]

    def __str__(self) -> str:
        return self.reference

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    # django-payments' hooks ------------------------------------------------------------------

    def get_success_url(self) -> str:
        return absolute_url("onlinepay:return", self.reference)

    get_failure_url = get_success_url  # one page says what happened, whatever it was

    def get_purchased_items(self):
        from payments import PurchasedItem

        for line in self.lines.all():
            yield PurchasedItem(
                name=line.document_number,
                quantity=1,
                price=line.amount,
                currency=self.currency,
                sku=line.document_number,
            )

    def change_status(
        self, status, message="", *, source: str = "gateway", gateway_status: str = "", ip: str | None = None
    ) -> bool:
        """Move to ``status`` unless that would leave a final state or go back; True when it changed.

        Repeated and out-of-order notifications land here too: they change nothing and say so."""
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            previous = current.status
            backwards = status in OPEN_ORDER and previous in OPEN_ORDER and OPEN_ORDER[status] < OPEN_ORDER[previous]
            if previous == status or previous in FINAL or backwards:
                self.status = previous
                if previous != status:
                    log.info("online payment %s stays %s (asked: %s from %s)", self.reference, previous, status, source)
                return False
            now = timezone.now()
            self.status = status
            self.message = message
            fields = ["status", "message", "modified"]
            if gateway_status:
                self.gateway_status = gateway_status
                fields.append("gateway_status")
            if status == PaymentStatus.CONFIRMED:
                self.confirmed_at = now
                self.captured_amount = self.total
                fields += ["confirmed_at", "captured_amount"]
            self.save(update_fields=fields)
            OnlinePaymentEvent.objects.create(
                payment=self,
                previous=previous,
                status=status,
                source=source,
                gateway_status=gateway_status,
                gateway_order_id=self.transaction_id,
                message=message[:500],
            )
            audit(
                "online_payment_status",
                user=self.user if source == "customer" else None,
                ip=ip,
                customer_number=self.customer_id,
                reference=self.reference,
                previous=previous,
                status=status,
                source=source,
                gateway_status=gateway_status,
                amount=self.total,
            )
        status_changed.send(sender=type(self), instance=self)
        return True


class OnlinePaymentLine(models.Model):
    """One document of a payment, at the amount the settlement said was still owed when paying."""

    payment = models.ForeignKey(OnlinePayment, models.CASCADE, related_name="lines", verbose_name=_("płatność"))
    # The number, not a foreign key: the payment's record outlives whatever billing does with the document.
    document_number = models.CharField(_("numer dokumentu"), max_length=60)
    amount = models.DecimalField(_("kwota"), **MONEY)

    class Meta:
        verbose_name = _("dokument płatności online")
        verbose_name_plural = _("dokumenty płatności online")
        ordering = ["payment", "document_number"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "document_number"], name="onlinepay_line_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="onlinepay_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.amount}"


class OnlinePaymentEvent(models.Model):
    """Every change of a payment's state, with where it came from and the gateway's own ids."""

    class Source(models.TextChoices):
        CUSTOMER = "customer", _("klient")
        NOTIFICATION = "notification", _("powiadomienie bramki")
        RETURN = "return", _("powrót klienta")
        SYNC = "sync", _("synchronizacja")
        GATEWAY = "gateway", _("bramka")

    payment = models.ForeignKey(OnlinePayment, models.CASCADE, related_name="events", verbose_name=_("płatność"))
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    previous = models.CharField(_("poprzedni stan"), max_length=10, blank=True)
    status = models.CharField(_("stan"), max_length=10)
    source = models.CharField(_("źródło"), max_length=12)
    gateway_status = models.CharField(_("status w bramce"), max_length=40, blank=True)
    gateway_order_id = models.CharField(_("identyfikator zamówienia w bramce"), max_length=255, blank=True)
    message = models.CharField(_("komunikat"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("zmiana stanu płatności online")
        verbose_name_plural = _("zmiany stanu płatności online")
        ordering = ["payment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.previous} → {self.status}"
