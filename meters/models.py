"""Meters at delivery points and their cumulative readings, from the billing export."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from billing.models import Customer, DeliveryPoint


class Meter(models.Model):
    class Kind(models.TextChoices):
        HEAT = "cieplo", _("ciepłomierz")
        WATER = "woda", _("wodomierz")

    class Unit(models.TextChoices):
        GJ = "GJ", "GJ"
        M3 = "m3", "m³"

    serial = models.CharField(_("numer fabryczny"), max_length=40, primary_key=True)
    delivery_point = models.ForeignKey(
        DeliveryPoint, models.CASCADE, related_name="meters", verbose_name=_("punkt odbioru")
    )
    # Denormalised from the delivery point so per-customer queries need no join; kept by the import.
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="meters", verbose_name=_("odbiorca"))
    kind = models.CharField(_("rodzaj"), max_length=6, choices=Kind.choices)
    unit = models.CharField(_("jednostka"), max_length=2, choices=Unit.choices)
    installed_on = models.DateField(_("data montażu"))
    removed_on = models.DateField(_("data demontażu"), null=True, blank=True)
    legalisation_until = models.DateField(_("legalizacja do"), null=True, blank=True)

    class Meta:
        verbose_name = _("licznik")
        verbose_name_plural = _("liczniki")
        ordering = ["delivery_point", "-installed_on", "serial"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("installed_on")),
                name="meter_removed_after_installed",
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_current(self) -> bool:
        return self.removed_on is None


class Reading(models.Model):
    class Source(models.TextChoices):
        REMOTE = "zdalny", _("odczyt zdalny")
        COLLECTOR = "inkasent", _("inkasent")
        CUSTOMER = "klient", _("odczyt klienta")
        ESTIMATE = "szacunek", _("szacunek")

    meter = models.ForeignKey(Meter, models.CASCADE, related_name="readings", verbose_name=_("licznik"))
    date = models.DateField(_("data odczytu"))
    value = models.DecimalField(_("wskazanie"), max_digits=14, decimal_places=3)
    source = models.CharField(_("źródło"), max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("odczyt")
        verbose_name_plural = _("odczyty")
        ordering = ["meter", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "date"], name="reading_one_per_meter_and_day"),
            models.CheckConstraint(condition=Q(value__gte=0), name="reading_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.date} {self.value}"


# What a self-reading's photo may be (ebok.files.UPLOAD_SIGNATURES), judged by its first bytes.
PHOTO_TYPES = ("jpg", "png")


class SelfReading(models.Model):
    """A reading the customer submitted ("Podaj odczyt"); staff accept or reject it in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("oczekuje")
        ACCEPTED = "accepted", _("przyjęty")
        REJECTED = "rejected", _("odrzucony")

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="self_readings", verbose_name=_("odbiorca"))
    meter = models.ForeignKey(Meter, models.CASCADE, related_name="self_readings", verbose_name=_("licznik"))
    value = models.DecimalField(_("wskazanie"), max_digits=14, decimal_places=3)
    reading_date = models.DateField(_("data odczytu"))
    # Relative to PRIVATE_ROOT; shown to staff only through a permission-checked view.
    photo = models.CharField(_("zdjęcie"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("powód odrzucenia"), blank=True)
    submitted_at = models.DateTimeField(_("zgłoszono"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rozpatrzył"),
    )
    decided_at = models.DateTimeField(_("rozpatrzono"), null=True, blank=True)

    class Meta:
        verbose_name = _("odczyt klienta")
        verbose_name_plural = _("odczyty klientów")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter"], condition=Q(status="pending"), name="selfreading_one_pending_per_meter"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="selfreading_value_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]), name="selfreading_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_at"], name="selfreading_status_decided")]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.reading_date} {self.value}"
