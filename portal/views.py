from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from billing.forms import ZipPeriodForm
from billing.models import ZERO, OtherDocument
from billing.selectors import settlement_for, today
from ebok import access
from ebok.access import customer_required
from ebok.middleware import CustomerInPathMiddleware
from meters.selectors import LEGALISATION_WARNING_DAYS, legalisation_ending
from onlinepay.selectors import online_state
from outages.selectors import for_customer as interruptions_for
from portal.selectors import customer_rows

LATEST_DOCUMENTS = 5


def home(request):
    """The front door: a customer goes to their start page, everyone else sees how to get in."""
    user = request.user
    if user.is_authenticated and not user.is_staff:
        # One customer: its start page; several (or none left): Moi odbiorcy.
        return redirect("start" if len(access.grants(user)) == 1 else access.CHOOSE_VIEW)
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    """The process is alive. Touches no database: a load balancer's cheapest probe."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    """The process can serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"database": "unavailable", "error": type(exc).__name__}, status=503)
    return JsonResponse({"database": "ok"})


@require_GET
@customer_required
def start(request):
    """The customer's start page ("pulpit"): what is due, what is new, what needs attention.

    It lives in portal, not in billing, because it gathers billing, meters and cases, and billing
    must not import the others.
    """
    customer = request.customer
    settlement = settlement_for(customer)
    # The settlement already holds every payable document: the newest come from there, not a query.
    newest = sorted((s.document for s in settlement.documents), key=lambda d: (d.issue_date, d.number), reverse=True)[
        :LATEST_DOCUMENTS
    ]
    latest = sorted(
        [("document", d.issue_date, d) for d in newest]
        + [("other", o.date, o) for o in OtherDocument.objects.filter(customer=customer)[:LATEST_DOCUMENTS]],
        key=lambda entry: entry[1],
        reverse=True,
    )[:LATEST_DOCUMENTS]
    # Documents paid online and not yet booked are not overdue for the customer: shown apart.
    online = online_state(customer.pk, settlement)
    overdue, paid_online = [], []
    for s in settlement.overdue_documents:
        note = online.note_for(s.document.number)
        if note is not None and note.paid:
            paid_online.append((s, note))
        else:
            overdue.append(s)
    return render(
        request,
        "start.html",
        {
            "settlement": settlement,
            "online": online,
            "overdue": overdue,
            "overdue_total": sum((s.rest for s in overdue), ZERO),
            "overdue_since": min((s.document.due_date for s in overdue), default=None),
            "paid_online": paid_online,
            "latest": latest,
            "legalisation": legalisation_ending(customer.pk),
            "legalisation_days": LEGALISATION_WARNING_DAYS,
            "interruptions": interruptions_for(customer),
        },
    )


@require_GET
def accessibility(request):
    """ "Deklaracja dostępności": the accessibility statement, filled from the utility's settings."""
    context = {
        "published": settings.EBOK_ACCESSIBILITY_PUBLISHED,
        "updated": settings.EBOK_ACCESSIBILITY_UPDATED,
        "contact": settings.EBOK_ACCESSIBILITY_CONTACT,
        "contact_email": settings.EBOK_ACCESSIBILITY_EMAIL,
        "contact_phone": settings.EBOK_ACCESSIBILITY_PHONE,
        "site_url": settings.EBOK_SITE_URL,
    }
    return render(request, "accessibility.html", context)


@require_GET
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page says: send them to the icon.
    Resolved per request, since the static manifest may not exist when the URLs are imported."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


SORTS = {
    "numer": lambda row: row.customer.number,
    "nazwa": lambda row: row.customer.name.casefold(),
    "saldo": lambda row: row.balance,
    "zalegle": lambda row: row.overdue,
    "wiadomosci": lambda row: row.unread,
    "sprawy": lambda row: row.open_cases,
}


def _next_path(request) -> str:
    """Where a chosen customer should land: a page of this site the login asked for, or its start page."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # A path that names a customer already loses that part: the choice here names the customer.
        match = CustomerInPathMiddleware.pattern.match(target)
        return (match["rest"] if match else target).lstrip("/")
    return access.reverse_without_customer("start").lstrip("/")


@require_GET
@login_required
def customers(request):
    """ "Moi odbiorcy": every customer the login reaches, with what needs attention, to choose one."""
    if request.user.is_staff:
        return redirect_to_login(request.get_full_path())
    return customers_page(request)


def customers_page(request, *, zip_form=None, status: int = 200):
    """Moi odbiorcy; after a ZIP period that did not validate, with that form's errors and dates."""
    login_grants = access.grants(request.user)
    rows = customer_rows(list(login_grants.values()))
    words = request.GET.get("q", "").strip()[:100]
    shown = [row for row in rows if row.matches(words)] if words else rows
    sort = request.GET.get("sort", "numer")
    key = SORTS.get(sort.lstrip("-"), SORTS["numer"])
    shown.sort(key=key, reverse=sort.startswith("-"))
    base = access.reverse_without_customer("home")
    target = _next_path(request)
    for row in shown:
        row.url = access.customer_prefix(row.customer.number, base) + target
    columns = [
        ("numer", _("Numer odbiorcy")),
        ("nazwa", _("Nazwa")),
        ("saldo", _("Saldo")),
        ("zalegle", _("Zaległości")),
        ("wiadomosci", _("Nieprzeczytane wiadomości")),
        ("sprawy", _("Otwarte sprawy")),
    ]
    headers = [
        {
            "key": key_name,
            "label": label,
            "sorted": "ascending" if sort == key_name else "descending" if sort == "-" + key_name else "",
            "query": urlencode({"q": words, "sort": "-" + key_name if sort == key_name else key_name}),
        }
        for key_name, label in columns
    ]
    totals = {
        "balance": sum((row.balance for row in shown), Decimal("0.00")),
        "overdue": sum((row.overdue for row in shown), Decimal("0.00")),
        "unread": sum(row.unread for row in shown),
        "open_cases": sum(row.open_cases for row in shown),
    }
    context = {
        "rows": shown,
        "all_count": len(rows),
        "words": words,
        "sort": sort,
        "headers": headers,
        "totals": totals,
        "zip_form": zip_form or ZipPeriodForm(initial={"rok": today().year}),
        "has_errors": bool(zip_form and zip_form.errors),
    }
    return render(request, "portal/customers.html", context, status=status)
