"""The "current customer" helpers every customer-facing view uses, and the one place that decides
what a login may do for a customer.

Each app wraps ``get_for_customer_or_404`` in one small helper of its own
(``_get_document_for_customer``), so a foreign object is always a 404 and never a 403:
a 403 would reveal that the object exists.

What a login may do for a customer is one of three actions, asked through ``may`` only:

- ``VIEW``: see and download;
- ``ACT``: raise cases and requests, submit readings, pay, change notice settings;
- ``MANAGE``: decide who else has access.

A login reaches a customer through a live access row (``settings.EBOK_ACCESS_MODEL``, the
accounts app's ``CustomerAccess``) with a role; ``ROLE_ACTIONS`` says what each role may do.
The rows are read from the database once per request (one query, with their customers), so a
revocation or a change of role holds from the representative's next request on, in sessions
already open too.

Which customer a request is for: the one its URL names (``/odbiorca/<number>/…``, stripped by
``ebok.middleware.CustomerInPathMiddleware``, which also makes every ``reverse()`` of the request
carry it), or else the login's only customer. A login with several customers and no customer in
the URL is sent to choose one ("Moi odbiorcy").
"""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, resolve_url
from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

VIEW = "view"
ACT = "act"
MANAGE = "manage"
ACTIONS = (VIEW, ACT, MANAGE)

OWNER = "owner"
PROXY = "proxy"
VIEWER = "viewer"
ROLE_ACTIONS = {
    OWNER: frozenset({VIEW, ACT, MANAGE}),
    PROXY: frozenset({VIEW, ACT}),
    VIEWER: frozenset({VIEW}),
}

# The path segment naming the chosen customer: /odbiorca/100001/dokumenty/.
CUSTOMER_SEGMENT = "odbiorca"
CHOOSE_VIEW = "customers"  # portal's "Moi odbiorcy", where a login with several customers picks one
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_GRANTS_ATTR = "ebok_access_grants"
_OWN_PREFIX = re.compile(rf"{CUSTOMER_SEGMENT}/[^/]+/$")


def grants(user) -> dict:
    """The login's live access rows by customer number, each with its ``customer``, in one query
    (none when the authentication backend loaded them with the user: ``keep``).

    Kept on the user object, which Django loads afresh for every request: a revocation holds
    from the next request on."""
    found = getattr(user, _GRANTS_ATTR, None)
    if found is None:
        rows = live_rows(user.pk) if user.is_authenticated and not user.is_staff else []
        found = keep(user, rows)
    return found


def live_rows(user_id) -> QuerySet:
    """The login's live access rows with their customers, in customer order: what ``grants`` keeps
    (the authentication backend adds the login itself to this query)."""
    model = apps.get_model(settings.EBOK_ACCESS_MODEL)
    live = model.objects.filter(user_id=user_id, revoked_at__isnull=True)
    return live.select_related("customer").order_by("customer_id")


def keep(user, rows) -> dict:
    """Keep ``rows`` (the login's live access rows with their customers, in customer order) as
    what ``grants`` answers for ``user`` in this request; staff reach no customer."""
    found = {} if user.is_staff else {row.customer_id: row for row in rows}
    setattr(user, _GRANTS_ATTR, found)
    return found


def role(user, customer) -> str | None:
    """The login's role for ``customer`` (OWNER, PROXY, VIEWER), or None without access."""
    if customer is None or not user.is_authenticated:
        return None
    grant = grants(user).get(customer.pk)
    return grant.role if grant is not None else None


def may(user, customer, action: str) -> bool:
    """Whether ``user`` may do ``action`` (VIEW, ACT or MANAGE) for ``customer``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return action in ROLE_ACTIONS.get(role(user, customer), ())


class Access:
    """What the request's login may do for the request's customer, for templates:
    ``{% if request.access.act %}``."""

    def __init__(self, user, customer):
        self.user = user
        self.customer = customer

    @property
    def role(self) -> str | None:
        return role(self.user, self.customer)

    @property
    def role_label(self) -> str:
        grant = grants(self.user).get(self.customer.pk) if self.customer is not None else None
        return grant.get_role_display() if grant is not None else ""

    @property
    def view(self) -> bool:
        return may(self.user, self.customer, VIEW)

    @property
    def act(self) -> bool:
        return may(self.user, self.customer, ACT)

    @property
    def manage(self) -> bool:
        return may(self.user, self.customer, MANAGE)


def chosen_customer(request):
    """The customer the request is for, or None: the one its URL names if the login reaches it,
    else the login's only customer. Raises Http404 for a named customer the login does not reach
    (the same answer as for a number that does not exist)."""
    login_grants = grants(request.user)
    number = getattr(request, "customer_in_url", None)
    if number is not None:
        grant = login_grants.get(number)
        if grant is None:
            raise Http404
        return grant.customer
    if len(login_grants) == 1:
        return next(iter(login_grants.values())).customer
    return None


def shown_customer(request):
    """The customer a page of the request shows (for the header, the tab bar and its badge): the
    one ``customer_required`` set, else the one ``chosen_customer`` finds, else None."""
    customer = getattr(request, "customer", None)
    if customer is None and getattr(request, "user", None) is not None:
        try:
            customer = chosen_customer(request)
        except Http404:
            customer = None
    return customer


def customer_required(view=None, *, action: str = VIEW, to_open: str = VIEW):
    """Let through only a login that may do ``action`` for the request's customer; anonymous
    visitors and staff go to the login page, a login without access gets a 404 (never a 403,
    which would tell that the customer exists), a login with several customers and none in the
    URL goes to choose one.

    ``action`` is what a POST (any unsafe method) needs; GET and HEAD need only VIEW, so a login
    that may only look (podgląd) sees the page and the template hides its forms with
    ``request.access.act``. Its POST changes nothing: it comes back to the page with a message.
    A page that is nothing but a form to act (paying, filing a request) says ``to_open=ACT``:
    a login that may not act gets a 404 for it, as for a page that is not there.

    Sets ``request.customer`` and ``request.access``. Use bare (``@customer_required``) for pages
    that only show, or ``@customer_required(action=ACT)`` for views that change something."""
    if action not in ACTIONS or to_open not in ACTIONS:
        raise ValueError(f"unknown action {action!r} or {to_open!r}")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or user.is_staff:
                return redirect_to_login(request.get_full_path(), without_customer(resolve_url(settings.LOGIN_URL)))
            customer = chosen_customer(request)
            if customer is None:
                return HttpResponseRedirect(
                    reverse_without_customer(CHOOSE_VIEW) + "?" + urlencode({"next": request.get_full_path()})
                )
            needed = to_open if request.method in SAFE_METHODS else action
            if not may(user, customer, to_open):
                raise Http404
            request.customer = customer
            request.access = Access(user, customer)
            if not may(user, customer, needed):
                messages.error(request, _("Twój dostęp do tego odbiorcy pozwala tylko na podgląd: nic nie zmieniono."))
                return HttpResponseRedirect(request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def get_for_customer_or_404(request, model_or_qs: type[Model] | QuerySet, customer_field: str = "customer", **lookup):
    """Fetch one object owned by the request's customer, or raise Http404."""
    customer = getattr(request, "customer", None)
    if customer is None:
        customer = chosen_customer(request)
    if customer is None:
        raise Http404
    qs = model_or_qs.objects.all() if isinstance(model_or_qs, type) else model_or_qs
    return get_object_or_404(qs, **{customer_field: customer.pk}, **lookup)


def customer_prefix(number: str, base: str = "/") -> str:
    """The script prefix naming customer ``number`` under ``base``: ``/odbiorca/100001/``."""
    return f"{base}{CUSTOMER_SEGMENT}/{quote(number, safe='')}/"


def reverse_without_customer(viewname: str, *args, **kwargs) -> str:
    """``reverse()`` without the customer the current request names (for pages of the login, such
    as "Moi odbiorcy")."""
    return reverse_for_customer(viewname, None, *args, **kwargs)


def without_customer(path: str) -> str:
    """``path`` (reversed within the request) without the customer the request names."""
    here = get_script_prefix()
    base = _OWN_PREFIX.sub("", here)
    return base + path[len(here) :] if path.startswith(here) else path


def reverse_for_customer(viewname: str, number: str | None, /, *args, **kwargs) -> str:
    """The path of ``viewname`` for customer ``number`` (None: no customer named), inside a
    request or outside one (links in e-mails name the customer this way)."""
    path = reverse(viewname, args=args or None, kwargs=kwargs or None)
    here = get_script_prefix()
    base = _OWN_PREFIX.sub("", here)
    rest = path[len(here) :]
    return (customer_prefix(number, base) if number is not None else base) + rest
