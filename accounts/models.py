"""Portal logins. A customer logs in with their customer number; staff accounts are separate."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Customer


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
