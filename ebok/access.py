"""The "current customer" helpers every customer-facing view uses.

Each app wraps ``get_for_customer_or_404`` in one small helper of its own
(``_get_document_for_customer``), so a foreign object is always a 404 and never a 403:
a 403 would reveal that the object exists.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404


def customer_required(view):
    """Let through only a logged-in customer; staff and anonymous visitors go to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or getattr(user, "customer_id", None) is None:
            return redirect_to_login(request.get_full_path())
        request.customer = user.customer
        return view(request, *args, **kwargs)

    return wrapper


def get_for_customer_or_404(request, model_or_qs: type[Model] | QuerySet, customer_field: str = "customer", **lookup):
    """Fetch one object owned by the request's customer, or raise Http404."""
    customer_id = getattr(request.user, "customer_id", None)
    if customer_id is None:
        raise Http404
    qs = model_or_qs.objects.all() if isinstance(model_or_qs, type) else model_or_qs
    return get_object_or_404(qs, **{customer_field: customer_id}, **lookup)
