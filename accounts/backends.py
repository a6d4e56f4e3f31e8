"""The password backend: a login by customer number or by e-mail address, loading a customer's
Customer with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from ebok import access
from ebok.models import FailingAddress


def login_name(typed) -> str:
    """The login a visitor means: what they typed, or, for an e-mail address that belongs to
    exactly one customer login, that login. An address shared by several logins (a family that
    registered two numbers with one address) signs nobody in: they use the customer number."""
    typed = str(typed or "").strip()
    if "@" not in typed:
        return typed
    found = list(
        get_user_model()
        .objects.filter(Q(email__iexact=typed) | Q(username__iexact=typed), is_staff=False, is_superuser=False)
        .values_list("username", flat=True)[:2]
    )
    return found[0] if len(found) == 1 else typed


def axes_username(request, credentials) -> str:
    """django-axes counts failures per this name, so a number and its e-mail share one lockout."""
    return login_name((credentials or {}).get("username", ""))


class UserWithCustomerBackend(ModelBackend):
    """Django's ModelBackend, but the login may be an e-mail address (``login_name``), and the
    user of each request comes in one query with its live access rows and their customers (what
    ``ebok.access.grants`` answers for the request) and with ``email_failing``: whether a mail
    server refused the login's address for good (ebok.models.FailingAddress), for the banner on
    every page until it is changed. A login that reaches no customer (staff, a representative not
    yet invited anywhere) takes a second, plain query."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=login_name(username), password=password, **kwargs)

    def get_user(self, user_id):
        try:
            user = self._user_with_access(user_id)
        except (ValueError, TypeError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _user_with_access(user_id):
        failing = FailingAddress.objects.filter(address=Lower(OuterRef("user__email")))
        rows = list(access.live_rows(user_id).select_related("user").annotate(email_failing=Exists(failing)))
        if not rows:
            failing = FailingAddress.objects.filter(address=Lower(OuterRef("email")))
            user = get_user_model().objects.annotate(email_failing=Exists(failing)).filter(pk=user_id).first()
            if user is not None:
                access.keep(user, [])
            return user
        user = rows[0].user
        user.email_failing = rows[0].email_failing
        for row in rows:
            row.user = user  # one User object for the request, not one per row
            if row.customer_id == user.customer_id:
                user.customer = row.customer
        access.keep(user, rows)
        return user
