"""The password backend: a login by customer number or by e-mail address, loading a customer's
Customer with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

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
    """Django's ModelBackend, but the login may be an e-mail address (``login_name``) and the user
    of each request comes with their Customer in one query. The same query says whether the
    login's address is failing (``email_failing``: a mail server refused it for good,
    ebok.models.FailingAddress), for the banner on every page until it is changed."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=login_name(username), password=password, **kwargs)

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            failing = FailingAddress.objects.filter(address=Lower(OuterRef("email")))
            user = user_model.objects.select_related("customer").annotate(email_failing=Exists(failing)).get(pk=user_id)
        except (user_model.DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
