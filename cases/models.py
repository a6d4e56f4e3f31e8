"""Customer cases ("Lista spraw"): a case is a thread of messages between a customer and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from billing.models import Customer, DeliveryPoint

# The four seeded type names (cases/migrations/0002), listed so makemessages puts them in the
# catalogues: a type's name is data, but these four are shown translated (see CaseType.__str__).
SEEDED_TYPE_NAMES = (
    gettext_noop("Ekonomiczne"),
    gettext_noop("Techniczne"),
    gettext_noop("Reklamacja"),
    gettext_noop("Inne"),
)
# Their descriptions (cases/migrations/0004), shown translated the same way (CaseType.description_text).
SEEDED_TYPE_DESCRIPTIONS = (
    gettext_noop("faktury, płatności, umowa"),
    gettext_noop("ogrzewanie, ciepła woda, liczniki, przyłącze"),
    gettext_noop("zastrzeżenia do faktury, odczytu lub usługi"),
    gettext_noop("wszystko, co nie pasuje do typów powyżej"),
)


class CaseType(models.Model):
    """What a case is about. Seeded with the four types from the user guide; staff add more in the admin."""

    name = models.CharField(_("nazwa"), max_length=100, unique=True)
    description = models.CharField(
        _("opis dla odbiorcy"),
        max_length=200,
        blank=True,
        help_text=_("Kilka słów prostym językiem, pokazywanych przy wyborze typu, np. „faktury, płatności, umowa”."),
    )
    is_active = models.BooleanField(_("aktywny"), default=True, help_text=_("Tylko aktywne typy można wybrać."))
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("typ sprawy")
        verbose_name_plural = _("typy spraw")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        # The seeded names translate; a name staff typed in the admin has no translation and shows as typed.
        return gettext(self.name)

    @property
    def description_text(self) -> str:
        """The description in the page's language, as the name is (gettext("") would be the catalogue's header)."""
        return gettext(self.description) if self.description else ""


class CaseNumberCounter(models.Model):
    """The last case number used in a year; locked while the next number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("licznik numerów spraw")
        verbose_name_plural = _("liczniki numerów spraw")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def next_number(cls, year: int) -> str:
        """``SP/<year>/<6 digits>``. Concurrent callers queue on the row lock, so no number repeats."""
        with transaction.atomic():
            # get_or_create retries the get when a concurrent transaction created the row first.
            counter, _created = cls.objects.select_for_update().get_or_create(year=year)
            cls.objects.filter(pk=counter.pk).update(last=F("last") + 1)
            counter.refresh_from_db(fields=["last"])
            return f"SP/{year}/{counter.last:06d}"


class Case(models.Model):
    class Status(models.TextChoices):
        NEW = "nowa", _("Nowa")
        IN_PROGRESS = "w_realizacji", _("W realizacji")
        CLOSED = "zakonczona", _("Zakończona")

    number = models.CharField(_("numer sprawy"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="cases", verbose_name=_("odbiorca"))
    type = models.ForeignKey(CaseType, models.PROTECT, related_name="cases", verbose_name=_("typ sprawy"))
    subject = models.CharField(_("temat"), max_length=200)
    delivery_point = models.ForeignKey(
        DeliveryPoint,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("punkt odbioru"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        limit_choices_to={"is_staff": True, "is_active": True},
        verbose_name=_("prowadzący"),
    )
    refers_to = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("dotyczy sprawy"),
    )
    created_at = models.DateTimeField(_("data wysłania"), default=timezone.now, editable=False)
    # Kept by the services on every message: the admin filters on it without a subquery.
    waiting_for_staff = models.BooleanField(_("czeka na nas"), default=True, editable=False)
    last_message_at = models.DateTimeField(_("ostatnia wiadomość"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sprawa")
        verbose_name_plural = _("sprawy")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="case_customer_created"),
            models.Index(fields=["status", "waiting_for_staff"], name="case_status_waiting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["nowa", "w_realizacji", "zakonczona"]), name="case_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Message(models.Model):
    """One message in a case: from the customer (``from_staff`` off) or from staff."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="messages", verbose_name=_("sprawa"))
    from_staff = models.BooleanField(_("od obsługi klienta"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_messages",
        verbose_name=_("autor"),
    )
    body = models.TextField(_("treść"))
    created_at = models.DateTimeField(_("data wysłania"), default=timezone.now)
    # Only staff messages are ever "read": when the customer first sees them on the case page.
    read_at = models.DateTimeField(_("przeczytana przez odbiorcę"), null=True, blank=True)

    class Meta:
        verbose_name = _("wiadomość")
        verbose_name_plural = _("wiadomości")
        ordering = ["created_at", "pk"]
        indexes = [
            # The unread badge: staff messages not yet read, per case.
            models.Index(
                fields=["case"],
                condition=Q(from_staff=True, read_at__isnull=True),
                name="message_unread_by_case",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_staff=True) | Q(read_at__isnull=True), name="message_read_only_staff"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file sent with a message, stored under PRIVATE_ROOT with a random name."""

    message = models.ForeignKey(Message, models.CASCADE, related_name="attachments", verbose_name=_("wiadomość"))
    path = models.CharField(_("plik"), max_length=255, unique=True, editable=False)  # relative to PRIVATE_ROOT
    filename = models.CharField(_("nazwa pliku"), max_length=255)
    content_type = models.CharField(_("typ pliku"), max_length=40)
    size = models.PositiveIntegerField(_("rozmiar"))

    class Meta:
        verbose_name = _("załącznik")
        verbose_name_plural = _("załączniki")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
