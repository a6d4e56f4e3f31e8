"""Portal logins. A customer logs in with their customer number; staff accounts are separate."""

from __future__ import annotations

import functools

import ua_parser
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.models import Customer
from ebok import mail


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username: str, email: str = "", password: str | None = None, **extra):
        user = self.model(username=username, email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, email: str = "", password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, email, password, **extra)

    def with_live_access(self, customer):
        """The logins with live access to ``customer`` (a Customer or its number; any role), by id:
        whom mail about the customer goes to (``CustomerAccessQuerySet.live``)."""
        number = getattr(customer, "pk", customer)
        return self.filter(pk__in=CustomerAccess.objects.live().filter(customer_id=number).values("user_id")).order_by(
            "pk"
        )

    def addressees(self, customer) -> list[mail.Recipient]:
        """Where mail about ``customer`` goes, one message each: every login with live access and
        an e-mail address, in its own language; when none has one, the address billing keeps
        (``customer.email``, the portal's default language)."""
        found = [
            mail.Recipient(user.email, user.language, user.pk)
            for user in self.with_live_access(customer).exclude(email="").only("pk", "email", "language")
        ]
        if not found and customer.email:
            found.append(mail.Recipient(customer.email))
        return found


class User(AbstractBaseUser, PermissionsMixin):
    """One login: either a customer's (``customer`` set, username = customer number) or staff's."""

    class Status(models.TextChoices):
        PENDING = "pending", _("oczekuje na ustawienie hasła")
        ACTIVE = "active", _("aktywne")

    username = models.CharField(_("login"), max_length=150, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    customer = models.OneToOneField(
        Customer,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("odbiorca"),
    )
    status = models.CharField(_("stan konta"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    is_staff = models.BooleanField(_("pracownik"), default=False)
    is_active = models.BooleanField(_("aktywny"), default=True)
    date_joined = models.DateTimeField(_("data założenia"), default=timezone.now)
    # The language of the e-mails (set from the page's language at registration).
    # Each language named in itself, as language pickers do.
    language = models.CharField(
        _("język wiadomości"),
        max_length=8,
        choices=[("pl", "polski"), ("en", "English"), ("uk", "українська")],
        default="pl",
    )
    # Which notices the customer wants; case replies always go out. Customers with the
    # e-invoice consent get their documents by e-mail whatever notify_documents says.
    notify_documents = models.BooleanField(_("powiadomienia o nowych dokumentach"), default=True)
    notify_reminders = models.BooleanField(_("przypomnienia o zaległych płatnościach"), default=True)
    notify_outages = models.BooleanField(_("powiadomienia o przerwach w dostawie ciepła"), default=True)
    # Raised to end every session but the current one when the password stays the same but the
    # way in changes (two-factor authentication switched on or off): it is part of the session hash.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("użytkownik")
        verbose_name_plural = _("użytkownicy")
        constraints = [
            # A customer's login is never staff, and a staff login belongs to no customer.
            models.CheckConstraint(
                condition=Q(customer__isnull=True) | Q(is_staff=False, is_superuser=False),
                name="user_customer_is_not_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_customer(self) -> bool:
        return self.customer_id is not None

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's HMAC of the password hash, and of the session epoch once it has been raised
        (epoch 0 keeps Django's value, so sessions from before the field stay valid)."""
        password_hash = super()._get_session_auth_hash(secret=secret)
        if not self.session_epoch:
            return password_hash
        return salted_hmac(
            "accounts.User.session_epoch", f"{password_hash}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def end_other_sessions(self, request) -> None:
        """Log out every other session of this login; the request's own stays."""
        self.session_epoch += 1  # two changes at once both leave it raised: enough
        self.save(update_fields=["session_epoch"])
        update_session_auth_hash(request, self)


class AccountAttempt(models.Model):
    """One registration check, password-reset request or failed login, counted for throttling.

    Kept in the database so every app process sees the same counts; staff read them in the admin.
    """

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("rejestracja")
        RESET = "reset", _("reset hasła")
        # A failed password check (login, the code step, a password asked again in Moje konto),
        # counted per client IP across customer numbers against password spraying.
        LOGIN = "login", _("logowanie")

    class Outcome(models.TextChoices):
        OK = "ok", _("poprawne dane")
        FAILED = "failed", _("niepoprawne dane")
        REGISTERED = "registered", _("konto już istnieje")
        # A valid proof for an account that exists: its address was told (at most once a day).
        NOTIFIED = "notified", _("konto już istnieje, wysłano powiadomienie")
        # A reset request taken; the worker looks the number up (accounts.tasks) and sets OK/FAILED.
        REQUESTED = "requested", _("przyjęte")
        THROTTLED = "throttled", _("zablokowana (limit prób)")

    kind = models.CharField(_("rodzaj"), max_length=12, choices=Kind.choices)
    # What was typed: a customer number, or an e-mail address where a login may be one.
    customer_number = models.CharField(_("numer odbiorcy lub login"), max_length=254)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    at = models.DateTimeField(_("kiedy"), default=timezone.now)
    outcome = models.CharField(_("wynik"), max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = _("próba rejestracji lub resetu hasła")
        verbose_name_plural = _("próby rejestracji i resetu hasła")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["kind", "customer_number", "at"], name="attempt_number_at"),
            models.Index(fields=["kind", "ip", "at"], name="attempt_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.customer_number} {self.get_outcome_display()}"


class AccountTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class AccountToken(models.Model):
    """A single-use link sent by e-mail. Only a hash of the secret is stored."""

    class Purpose(models.TextChoices):
        SET_PASSWORD = "set_password", _("ustawienie hasła")
        RESET_PASSWORD = "reset_password", _("reset hasła")
        CHANGE_EMAIL = "change_email", _("zmiana adresu e-mail")

    user = models.ForeignKey(User, models.CASCADE, related_name="tokens", verbose_name=_("użytkownik"))
    purpose = models.CharField(_("cel"), max_length=16, choices=Purpose.choices)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    new_email = models.EmailField(_("nowy adres e-mail"), blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    expires_at = models.DateTimeField(_("ważny do"))
    used_at = models.DateTimeField(_("użyty"), null=True, blank=True)

    objects = AccountTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("link jednorazowy")
        verbose_name_plural = _("linki jednorazowe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.user}"


class ConsentEvent(models.Model):
    """Append-only history of a customer's consents: each give or withdrawal is one new row."""

    class Kind(models.TextChoices):
        TERMS = "regulamin", _("regulamin portalu")
        DATA = "dane", _("przetwarzanie danych")
        E_INVOICE = "e-faktury", _("e-faktury")

    class Source(models.TextChoices):
        REGISTRATION = "rejestracja", _("rejestracja")
        MY_ACCOUNT = "moje-konto", _("moje konto")

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="consent_events", verbose_name=_("odbiorca"))
    kind = models.CharField(_("zgoda"), max_length=10, choices=Kind.choices)
    given = models.BooleanField(_("udzielona"))
    at = models.DateTimeField(_("kiedy"), default=timezone.now)
    document_version = models.CharField(_("wersja dokumentu"), max_length=20, blank=True)
    source = models.CharField(_("źródło"), max_length=12, choices=Source.choices)

    class Meta:
        verbose_name = _("zgoda (historia)")
        verbose_name_plural = _("zgody (historia)")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["customer", "kind", "at"], name="consent_customer_kind_at")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {'+' if self.given else '-'}"

    def save(self, *args, **kwargs):
        # The history is evidence: rows are added, never changed.
        if self.pk is not None:
            raise ValueError("ConsentEvent is append-only")
        super().save(*args, **kwargs)

    @classmethod
    def newest_first(cls, customer, kind: str) -> models.QuerySet[ConsentEvent]:
        """The customer's events of one kind, the latest first; ``customer`` may be an ``OuterRef``."""
        return cls.objects.filter(customer=customer, kind=kind).order_by("-at", "-pk")

    @classmethod
    def current(cls, customer: Customer, kind: str) -> bool:
        last = cls.newest_first(customer, kind).first()
        return bool(last and last.given)


class LoginEvent(models.Model):
    """A successful login, shown to the customer under "Ostatnie logowania"."""

    user = models.ForeignKey(User, models.CASCADE, related_name="logins", verbose_name=_("użytkownik"))
    at = models.DateTimeField(_("kiedy"), default=timezone.now)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    user_agent = models.CharField(_("przeglądarka"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("logowanie")
        verbose_name_plural = _("logowania")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"], name="login_user_at")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"

    @property
    def browser_and_system(self) -> str:
        """ "Chrome 131, Windows 10" from the raw user agent, as a customer knows their devices."""
        return ", ".join(browser_and_system(self.user_agent)) or gettext("nieznana przeglądarka")


@functools.lru_cache(maxsize=256)
def browser_and_system(user_agent: str) -> tuple[str, ...]:
    """The browser and the operating system a user agent names (what ua-parser recognises of them)."""
    if not user_agent:
        return ()
    parsed = ua_parser.parse(user_agent)
    return tuple(
        f"{found.family} {found.major}" if found.major else found.family
        for found in (parsed.user_agent, parsed.os)
        if found and found.family != "Other"
    )


class CustomerAccessQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def live(self):
        """The access that counts for mail and notices: not revoked, of a login that can sign in
        (active, its password set) and is not staff's (``ebok.access`` gives staff no customer).
        The one place that says which logins hear of a customer (``User.objects.with_live_access``)."""
        return self.active().filter(user__status=User.Status.ACTIVE, user__is_active=True, user__is_staff=False)


class CustomerAccess(models.Model):
    """One login's access to one customer, with a role: what ``ebok.access.may`` decides from.

    The login that registered a customer number is its właściciel; others get a role by the
    właściciel's invitation or by staff on a paper authorisation (upoważnienie). A revoked row
    stays as evidence; it grants nothing from the next request on.
    """

    class Role(models.TextChoices):
        OWNER = "owner", _("właściciel")
        PROXY = "proxy", _("pełnomocnik")
        VIEWER = "viewer", _("podgląd")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("rejestracja")
        INVITATION = "invitation", _("zaproszenie")
        PAPER = "paper", _("upoważnienie papierowe")

    user = models.ForeignKey(User, models.CASCADE, related_name="accesses", verbose_name=_("użytkownik"))
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="accesses", verbose_name=_("odbiorca"))
    role = models.CharField(_("rola"), max_length=8, choices=Role.choices)
    source = models.CharField(_("źródło"), max_length=12, choices=Source.choices)
    # The paper authorisation staff granted on: its reference (sygnatura) and date, shown to the właściciel.
    paper_reference = models.CharField(_("sygnatura upoważnienia"), max_length=60, blank=True)
    paper_date = models.DateField(_("data upoważnienia"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("nadał(a)")
    )
    granted_at = models.DateTimeField(_("nadano"), default=timezone.now)
    revoked_at = models.DateTimeField(_("cofnięto"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cofnął(-ęła)")
    )

    objects = CustomerAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("dostęp do odbiorcy")
        verbose_name_plural = _("dostępy do odbiorców")
        ordering = ["customer", "-granted_at"]
        constraints = [
            # One live access per login and customer: a change of role edits it, a new grant follows a revocation.
            models.UniqueConstraint(
                fields=["user", "customer"], condition=Q(revoked_at__isnull=True), name="access_one_live_per_login"
            ),
            # One właściciel per customer.
            models.UniqueConstraint(
                fields=["customer"], condition=Q(revoked_at__isnull=True, role="owner"), name="access_one_owner"
            ),
            models.CheckConstraint(condition=Q(role__in=["owner", "proxy", "viewer"]), name="access_role_valid"),
            # A grant on paper names the paper.
            models.CheckConstraint(
                condition=~Q(source="paper") | (~Q(paper_reference="") & Q(paper_date__isnull=False)),
                name="access_paper_named",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="access_user_live")]

    def __str__(self) -> str:
        return f"{self.user} → {self.customer_id} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """The właściciel's invitation of someone, by e-mail, to a role for the customer: a single-use
    link valid for a week. Only a hash of the link's secret is stored."""

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="invitations", verbose_name=_("odbiorca"))
    email = models.EmailField(_("e-mail zaproszonego"))
    role = models.CharField(
        _("rola"),
        max_length=8,
        choices=[
            (CustomerAccess.Role.PROXY, CustomerAccess.Role.PROXY.label),
            (CustomerAccess.Role.VIEWER, CustomerAccess.Role.VIEWER.label),
        ],
    )
    invited_by = models.ForeignKey(User, models.CASCADE, related_name="+", verbose_name=_("zaprosił(a)"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    expires_at = models.DateTimeField(_("ważne do"))
    accepted_at = models.DateTimeField(_("przyjęte"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("przyjął(-ęła)")
    )
    cancelled_at = models.DateTimeField(_("anulowane"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("zaproszenie do dostępu")
        verbose_name_plural = _("zaproszenia do dostępu")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["proxy", "viewer"]), name="invitation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.customer_id} ({self.get_role_display()})"
