"""Interruptions of heat supply ("Przerwy w dostawie ciepła"), planned and unplanned.

Staff say what an interruption affects in three ways, in any mix: delivery points by code, a
substation (węzeł cieplny, ``DeliveryPoint.substation`` from the import) and streets of a town.
``outages.services.publish`` resolves that into ``AffectedPoint`` rows (the one answer to "whom
does it affect", read by every page and by the notices) and tells the affected logins.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.models import DeliveryPoint

# "Mickiewicza 26/4", "Wojska Polskiego 3A", "ul. 3 Maja 5 lok. 2": the house number (and flat) at
# the end. What is left is the street, the most a public page says about an address.
HOUSE_NUMBER = re.compile(r"\s+\d[\w/.-]*(\s+(lok|m)\.?\s*\w+)?\s*$", re.IGNORECASE)
STREET_PREFIX = re.compile(r"^(ul|al|os|pl)\.\s*", re.IGNORECASE)


def street_name(street: str) -> str:
    """The street of an address without the house and flat number: "Mickiewicza 26/4" → "Mickiewicza"."""
    return HOUSE_NUMBER.sub("", street.strip()) or street.strip()


def street_key(street: str) -> str:
    """A street for comparing: no "ul." prefix, no house number, case folded."""
    return " ".join(STREET_PREFIX.sub("", street_name(street)).split()).casefold()


# An interruption past its expected end without an actual end may well go on (staff enter the
# end when heat is back): it stays shown, as overrunning, this long after the expected end.
OVERRUN_SHOWN = timedelta(days=7)


def visible_q(now=None, prefix: str = "") -> Q:
    """Current or upcoming: not ended, and not long past its expected end (``prefix``: the path to
    Interruption from the queried model)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}ended_at__isnull": True, f"{prefix}expected_end_at__gt": now - OVERRUN_SHOWN})


class InterruptionQuerySet(models.QuerySet):
    def visible(self, now=None):
        return self.filter(visible_q(now))


class Interruption(models.Model):
    class Kind(models.TextChoices):
        PLANNED = "planowana", _("planowana")
        UNPLANNED = "awaria", _("nieplanowana (awaria)")

    # The key of the CSV import (docs/outages-import.md): a second import of the same row updates it.
    ref = models.CharField(
        _("identyfikator"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Nadawany przez import z pliku CSV; przy wpisie ręcznym można zostawić puste."),
    )
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("początek"))
    expected_end_at = models.DateTimeField(_("przewidywany koniec"))
    ended_at = models.DateTimeField(
        _("faktyczny koniec"), null=True, blank=True, help_text=_("Wpisz, gdy dostawa ciepła wróciła.")
    )
    description = models.TextField(
        _("opis"),
        max_length=2000,
        help_text=_("Widoczny publicznie: co się dzieje i czego odbiorcy mogą się spodziewać. Bez danych odbiorców."),
    )
    substation = models.CharField(
        _("węzeł cieplny"),
        max_length=40,
        blank=True,
        help_text=_("Obejmuje wszystkie punkty odbioru zasilane z tego węzła, np. W-305."),
    )
    points = models.ManyToManyField(
        DeliveryPoint,
        blank=True,
        related_name="+",
        verbose_name=_("punkty odbioru"),
        help_text=_("Punkty wskazane wprost, poza węzłem i ulicami."),
    )
    announced_at = models.DateTimeField(
        _("ogłoszono"),
        default=timezone.now,
        help_text=_("Kiedy odbiorcy zostali powiadomieni; standard: przerwa planowana co najmniej 7 dni wcześniej."),
    )
    # Raised each time the expected end changes: each value is one notice ("once per change").
    end_revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now, editable=False)

    objects = InterruptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("przerwa w dostawie ciepła")
        verbose_name_plural = _("przerwy w dostawie ciepła")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["ended_at", "expected_end_at"], name="interruption_visible")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["planowana", "awaria"]), name="interruption_kind_valid"),
            models.CheckConstraint(
                condition=Q(expected_end_at__gt=F("starts_at")), name="interruption_expected_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("starts_at")),
                name="interruption_ended_after_start",
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} {start:%d.%m.%Y %H:%M} {self.substation}".strip()

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.expected_end_at and self.expected_end_at <= self.starts_at:
            errors["expected_end_at"] = _("Przewidywany koniec musi być późniejszy niż początek.")
        if self.starts_at and self.ended_at and self.ended_at < self.starts_at:
            errors["ended_at"] = _("Faktyczny koniec nie może być wcześniejszy niż początek.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_planned(self) -> bool:
        return self.kind == self.Kind.PLANNED

    def is_current(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now and self.ended_at is None

    def is_visible(self, now=None) -> bool:
        """What visible_q selects, for one interruption in hand."""
        now = now or timezone.now()
        return self.ended_at is None and self.expected_end_at > now - OVERRUN_SHOWN

    def is_overrunning(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.expected_end_at <= now

    @property
    def end(self):
        """The actual end once known, else the expected one."""
        return self.ended_at or self.expected_end_at

    def exceeds_standard(self, now=None) -> str:
        """Why the interruption breaks the quality standards (settings EBOK_OUTAGE_*), or "".

        Planned: longer than EBOK_OUTAGE_PLANNED_MAX_DAYS or announced less than
        EBOK_OUTAGE_PLANNED_NOTICE_DAYS ahead. Unplanned: longer than EBOK_OUTAGE_UNPLANNED_MAX_HOURS.
        The length counts to the actual end, or to now while it lasts (an expected end is a promise,
        not yet a breach).
        """
        now = now or timezone.now()
        if self.starts_at > now:
            return ""
        lasted = (self.ended_at or now) - self.starts_at
        if self.is_planned:
            max_days = settings.EBOK_OUTAGE_PLANNED_MAX_DAYS
            notice_days = settings.EBOK_OUTAGE_PLANNED_NOTICE_DAYS
            if lasted > timedelta(days=max_days):
                return gettext("przerwa planowana trwała dłużej niż %(days)s dni") % {"days": max_days}
            if self.starts_at - self.announced_at < timedelta(days=notice_days):
                return gettext("przerwę planowaną ogłoszono później niż %(days)s dni przed jej początkiem") % {
                    "days": notice_days
                }
            return ""
        max_hours = settings.EBOK_OUTAGE_UNPLANNED_MAX_HOURS
        if lasted > timedelta(hours=max_hours):
            return gettext("awaria trwała dłużej niż %(hours)s godzin") % {"hours": max_hours}
        return ""


class AffectedStreet(models.Model):
    """A street of a town the interruption affects: every point whose address is on it."""

    interruption = models.ForeignKey(Interruption, models.CASCADE, related_name="streets", verbose_name=_("przerwa"))
    city = models.CharField(_("miejscowość"), max_length=100)
    street = models.CharField(
        _("ulica"), max_length=200, help_text=_("Sama nazwa, bez numeru domu, np. Mickiewicza lub ul. 3 Maja.")
    )

    class Meta:
        verbose_name = _("ulica objęta przerwą")
        verbose_name_plural = _("ulice objęte przerwą")
        ordering = ["city", "street"]
        constraints = [
            models.UniqueConstraint(fields=["interruption", "city", "street"], name="affected_street_once"),
        ]

    def __str__(self) -> str:
        return f"{self.city}, {self.street}"


class AffectedPoint(models.Model):
    """A delivery point an interruption affects, however it was named (resolved by services.publish).

    ``city`` and ``street`` are the point's town and street without the house number: what the
    public page lists.
    """

    interruption = models.ForeignKey(Interruption, models.CASCADE, related_name="affected", verbose_name=_("przerwa"))
    point = models.ForeignKey(
        DeliveryPoint, models.CASCADE, related_name="interruptions", verbose_name=_("punkt odbioru")
    )
    city = models.CharField(_("miejscowość"), max_length=100)
    street = models.CharField(_("ulica"), max_length=200)

    class Meta:
        verbose_name = _("punkt objęty przerwą")
        verbose_name_plural = _("punkty objęte przerwą")
        ordering = ["point"]
        constraints = [
            models.UniqueConstraint(fields=["interruption", "point"], name="affected_point_once"),
        ]

    def __str__(self) -> str:
        return f"{self.interruption_id}: {self.point_id}"


class OutageNotice(models.Model):
    """What a login was told about an interruption: one row per login and change, never two.

    ``change``: "new", "end-<revision>" (the expected end moved) or "ended".
    """

    interruption = models.ForeignKey(Interruption, models.CASCADE, related_name="notices", verbose_name=_("przerwa"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="outage_notices", verbose_name=_("użytkownik")
    )
    change = models.CharField(_("zmiana"), max_length=20)
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)

    class Meta:
        verbose_name = _("powiadomienie o przerwie")
        verbose_name_plural = _("powiadomienia o przerwach")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["interruption", "user", "change"], name="outage_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.interruption_id} {self.user_id} {self.change}"
