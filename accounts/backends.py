"""The password backend, loading a customer's Customer with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from ebok.models import FailingAddress


class UserWithCustomerBackend(ModelBackend):
    """Django's ModelBackend, but the user of each request comes with their Customer in one query:
    every customer page reads ``request.user.customer`` (``@customer_required``). The same query
    says whether the login's address is failing (``email_failing``: a mail server refused it for
    good, ebok.models.FailingAddress), for the banner on every page until it is changed."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            failing = FailingAddress.objects.filter(address=Lower(OuterRef("email")))
            user = user_model.objects.select_related("customer").annotate(email_failing=Exists(failing)).get(pk=user_id)
        except (user_model.DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
