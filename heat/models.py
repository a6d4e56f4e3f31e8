"""Requests to the utility ("Dyspozycje i wnioski"): typed forms filed as cases, with deadlines.

Each request is a case in Lista spraw (its thread, attachments and replies) plus the typed data
of its kind, its status and the deadline the utility promised when it was filed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Customer, DeliveryPoint, Document
from cases.models import Case


class Kind(models.TextChoices):
    HEATING_START = "wlaczenie-co", _("Włączenie ogrzewania")
    HEATING_STOP = "wylaczenie-co", _("Wyłączenie ogrzewania")
    CONTROLLER = "regulator", _("Nastawy regulatora pogodowego")
    POWER = "moc-zamowiona", _("Zmiana mocy zamówionej")
    REFILL = "uzupelnienie-zladu", _("Uzupełnienie zładu instalacji")
    INTERRUPTION = "przerwa", _("Przerwa na prace w budynku")
    COMPLAINT = "reklamacja", _("Reklamacja dokumentu")


class DeadlineRule(models.Model):
    """How long the utility has to act on (or answer) a kind of request. One per kind, set in the admin."""

    class Unit(models.TextChoices):
        HOURS = "godziny", _("godziny")
        DAYS = "dni", _("dni")

    class CountedFrom(models.TextChoices):
        FILED = "zlozenie", _("od złożenia")
        REQUESTED = "termin", _("od wskazanego terminu (nie wcześniej niż od złożenia)")

    class Promise(models.TextChoices):
        ACT = "realizacja", _("realizacja")
        ANSWER = "odpowiedz", _("odpowiedź")

    kind = models.CharField(_("rodzaj dyspozycji"), max_length=20, choices=Kind.choices, unique=True)
    amount = models.PositiveSmallIntegerField(
        _("termin"), validators=[MinValueValidator(1), MaxValueValidator(365)], help_text=_("Liczba godzin lub dni.")
    )
    unit = models.CharField(_("jednostka"), max_length=8, choices=Unit.choices)
    counted_from = models.CharField(_("liczony"), max_length=8, choices=CountedFrom.choices)
    promise = models.CharField(
        _("co obiecujemy"),
        max_length=10,
        choices=Promise.choices,
        help_text=_("Odbiorca widzi „realizacja do …” albo „odpowiedź do …”."),
    )

    class Meta:
        verbose_name = _("termin realizacji")
        verbose_name_plural = _("terminy realizacji")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1, amount__lte=365), name="deadline_amount_range"),
            models.CheckConstraint(condition=Q(unit__in=["godziny", "dni"]), name="deadline_unit_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.get_unit_display()}"

    @property
    def by_day(self) -> bool:
        return self.unit == self.Unit.DAYS

    def due(self, *, filed_at: dt.datetime, requested_at: dt.datetime | None = None) -> dt.datetime:
        """The moment by which the utility must act. Days end at the end of the last day (local time)."""
        start = filed_at
        if self.counted_from == self.CountedFrom.REQUESTED and requested_at is not None:
            start = max(filed_at, requested_at)
        if self.by_day:
            last_day = timezone.localtime(start).date() + dt.timedelta(days=self.amount)
            return timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59)))
        return start + dt.timedelta(hours=self.amount)


def _valid_day(month: int, day: int) -> bool:
    try:
        dt.date(2025, month, day)  # a common year: 29 February is not a date every year
    except ValueError:
        return False
    return True


class PowerChangeRule(models.Model):
    """The contract's rule for changing ordered power: filed by a day of the year, effective from another.

    "Do 30 czerwca na 1 października" (Veolia Łódź): filed by 30 June, the change applies from
    1 October that year; filed later, from 1 October of the next year. Only one rule is active.
    """

    utility = models.CharField(_("przedsiębiorstwo"), max_length=100)
    deadline_day = models.PositiveSmallIntegerField(_("zgłoszenie do: dzień"))
    deadline_month = models.PositiveSmallIntegerField(_("zgłoszenie do: miesiąc"))
    effective_day = models.PositiveSmallIntegerField(_("zmiana od: dzień"))
    effective_month = models.PositiveSmallIntegerField(_("zmiana od: miesiąc"))
    is_active = models.BooleanField(_("obowiązuje"), default=False, help_text=_("Obowiązuje tylko jedna reguła."))

    class Meta:
        verbose_name = _("reguła zmiany mocy zamówionej")
        verbose_name_plural = _("reguły zmiany mocy zamówionej")
        ordering = ["-is_active", "utility"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_power_rule"),
            models.CheckConstraint(
                condition=Q(
                    deadline_month__gte=1, deadline_month__lte=12, effective_month__gte=1, effective_month__lte=12
                ),
                name="power_rule_months",
            ),
        ]

    def __str__(self) -> str:
        deadline = f"{self.deadline_day:02d}.{self.deadline_month:02d}"
        return f"{self.utility}: {deadline} → {self.effective_day:02d}.{self.effective_month:02d}"

    def clean(self):
        errors = {}
        if not _valid_day(self.deadline_month or 0, self.deadline_day or 0):
            errors["deadline_day"] = _("Taki dzień nie istnieje w każdym roku (29 lutego też nie).")
        if not _valid_day(self.effective_month or 0, self.effective_day or 0):
            errors["effective_day"] = _("Taki dzień nie istnieje w każdym roku (29 lutego też nie).")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def active(cls) -> PowerChangeRule | None:
        return cls.objects.filter(is_active=True).first()

    def is_effective_day(self, day: dt.date) -> bool:
        return (day.month, day.day) == (self.effective_month, self.effective_day)

    def deadline_for(self, effective: dt.date) -> dt.date:
        """The last filing day for a change from ``effective``: the deadline day before it."""
        deadline = dt.date(effective.year, self.deadline_month, self.deadline_day)
        if deadline >= effective:
            deadline = dt.date(effective.year - 1, self.deadline_month, self.deadline_day)
        return deadline

    def earliest(self, today: dt.date) -> dt.date:
        """The first effective day a request filed ``today`` may ask for."""
        year = today.year
        while True:
            candidate = dt.date(year, self.effective_month, self.effective_day)
            if candidate > today and today <= self.deadline_for(candidate):
                return candidate
            year += 1


class HeatRequest(models.Model):
    class Status(models.TextChoices):
        FILED = "zlozony", _("złożony")
        ACCEPTED = "przyjety", _("przyjęty")
        IN_PROGRESS = "w_realizacji", _("w realizacji")
        DONE = "zrealizowany", _("zrealizowany")
        REJECTED = "odrzucony", _("odrzucony")

    # Where each status may go; a done or rejected request is final.
    NEXT = {
        Status.FILED: (Status.ACCEPTED, Status.REJECTED),
        Status.ACCEPTED: (Status.IN_PROGRESS, Status.DONE, Status.REJECTED),
        Status.IN_PROGRESS: (Status.DONE, Status.REJECTED),
        Status.DONE: (),
        Status.REJECTED: (),
    }
    # The status of the request's case in Lista spraw.
    CASE_STATUS = {
        Status.FILED: Case.Status.NEW,
        Status.ACCEPTED: Case.Status.IN_PROGRESS,
        Status.IN_PROGRESS: Case.Status.IN_PROGRESS,
        Status.DONE: Case.Status.CLOSED,
        Status.REJECTED: Case.Status.CLOSED,
    }
    # Accepted at some point and not rejected: what the export hands to dispatch and billing.
    EXPORTED = (Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE)

    case = models.OneToOneField(Case, models.RESTRICT, related_name="heat_request", verbose_name=_("sprawa"))
    # Denormalised from the case so per-customer queries need no join.
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="heat_requests", verbose_name=_("odbiorca"))
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FILED)
    delivery_points = models.ManyToManyField(
        DeliveryPoint, related_name="heat_requests", blank=True, verbose_name=_("punkty odbioru")
    )
    document = models.ForeignKey(
        Document, models.PROTECT, null=True, blank=True, related_name="heat_requests", verbose_name=_("dokument")
    )
    requested_at = models.DateTimeField(_("wskazany termin"), null=True, blank=True)
    requested_until = models.DateTimeField(_("do kiedy"), null=True, blank=True)
    effective_from = models.DateField(_("obowiązuje od"), null=True, blank=True)
    # The fields particular to the kind (settings, power values, what is wrong), as the form validated them.
    data = models.JSONField(_("dane dyspozycji"), default=dict, blank=True)
    filed_at = models.DateTimeField(_("złożono"), default=timezone.now)
    due_at = models.DateTimeField(_("termin"))
    due_by_day = models.BooleanField(_("termin w dniach"), default=False)
    promise = models.CharField(_("co obiecujemy"), max_length=10, choices=DeadlineRule.Promise.choices)
    accepted_at = models.DateTimeField(_("przyjęto"), null=True, blank=True)
    rejection_reason = models.TextField(_("powód odrzucenia"), blank=True)

    class Meta:
        verbose_name = _("dyspozycja")
        verbose_name_plural = _("dyspozycje i wnioski")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="heatrequest_status_due"),
            models.Index(fields=["customer", "-filed_at"], name="heatrequest_customer_filed"),
            models.Index(fields=["accepted_at"], name="heatrequest_accepted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["zlozony", "przyjety", "w_realizacji", "zrealizowany", "odrzucony"]),
                name="heatrequest_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="odrzucony") | ~Q(rejection_reason=""), name="heatrequest_rejected_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.DONE, self.Status.REJECTED)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())

    def is_due_today(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_open and not self.is_overdue(now) and timezone.localdate(self.due_at) == timezone.localdate(now)


class StatusChange(models.Model):
    """One change of a request's status: who, when, why. The customer's e-mail is keyed on it (sent once)."""

    request = models.ForeignKey(HeatRequest, models.CASCADE, related_name="changes", verbose_name=_("dyspozycja"))
    status = models.CharField(_("status"), max_length=12, choices=HeatRequest.Status.choices)
    reason = models.TextField(_("powód"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("zmienił")
    )
    changed_at = models.DateTimeField(_("data zmiany"), default=timezone.now)

    class Meta:
        verbose_name = _("zmiana statusu")
        verbose_name_plural = _("zmiany statusu")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_status_display()}"


class ComplaintReason(models.TextChoices):
    READING = "odczyt", _("błędny odczyt lub zużycie")
    PRICE = "cena", _("błędna cena, taryfa lub moc zamówiona")
    PERIOD = "okres", _("błędny okres rozliczeniowy")
    DATA = "dane", _("błędne dane odbiorcy lub punktu odbioru")
    PAYMENT = "wplata", _("nieuwzględniona wpłata")
    OTHER = "inne", _("inny błąd")
