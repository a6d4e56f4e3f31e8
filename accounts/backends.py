"""The password backend, loading a customer's Customer with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithCustomerBackend(ModelBackend):
    """Django's ModelBackend, but the user of each request comes with their Customer in one query:
    every customer page reads ``request.user.customer`` (``@customer_required``)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model.objects.select_related("customer").get(pk=user_id)
        except (user_model.DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
