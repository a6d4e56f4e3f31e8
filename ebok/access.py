"""The "current customer" helpers every customer-facing view uses, and the one place that decides
what a login may do for a customer.

Each app wraps ``get_for_customer_or_404`` in one small helper of its own
(``_get_document_for_customer``), so a foreign object is always a 404 and never a 403:
a 403 would reveal that the object exists.

What a login may do for a customer is one of three actions, asked through ``may`` only:

- ``VIEW``: see and download;
- ``ACT``: raise cases and requests, submit readings, pay, change notice settings;
- ``MANAGE``: decide who else has access.

Today a login reaches exactly one customer, its own, and may do everything for it.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

VIEW = "view"
ACT = "act"
MANAGE = "manage"
ACTIONS = (VIEW, ACT, MANAGE)


def may(user, customer, action: str) -> bool:
    """Whether ``user`` may do ``action`` (VIEW, ACT or MANAGE) for ``customer``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if customer is None or not user.is_authenticated:
        return False
    return getattr(user, "customer_id", None) == customer.pk


class Access:
    """What the request's login may do for the request's customer, for templates:
    ``{% if request.access.act %}``."""

    def __init__(self, user, customer):
        self.user = user
        self.customer = customer

    @property
    def view(self) -> bool:
        return may(self.user, self.customer, VIEW)

    @property
    def act(self) -> bool:
        return may(self.user, self.customer, ACT)

    @property
    def manage(self) -> bool:
        return may(self.user, self.customer, MANAGE)


def customer_required(view=None, *, action: str = VIEW):
    """Let through only a login that may do ``action`` for its customer; anonymous visitors and
    staff go to the login page, a login without the right gets a 404 (never a 403, which would
    tell that the customer exists).

    Sets ``request.customer`` and ``request.access``. Use bare (``@customer_required``) for pages
    that only show, or ``@customer_required(action=ACT)`` for views that change something."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or getattr(user, "customer_id", None) is None:
                return redirect_to_login(request.get_full_path())
            customer = user.customer
            if not may(user, customer, action):
                raise Http404
            request.customer = customer
            request.access = Access(user, customer)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def get_for_customer_or_404(request, model_or_qs: type[Model] | QuerySet, customer_field: str = "customer", **lookup):
    """Fetch one object owned by the request's customer, or raise Http404."""
    customer = getattr(request, "customer", None)
    customer_id = customer.pk if customer is not None else getattr(request.user, "customer_id", None)
    if customer_id is None:
        raise Http404
    qs = model_or_qs.objects.all() if isinstance(model_or_qs, type) else model_or_qs
    return get_object_or_404(qs, **{customer_field: customer_id}, **lookup)
