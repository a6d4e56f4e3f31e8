from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from billing.models import ZERO, OtherDocument
from billing.selectors import settlement_for
from ebok.access import customer_required
from meters.selectors import LEGALISATION_WARNING_DAYS, legalisation_ending
from onlinepay.selectors import online_state
from outages.selectors import for_customer as interruptions_for

LATEST_DOCUMENTS = 5


def home(request):
    """The front door: a customer goes to their start page, everyone else sees how to get in."""
    if request.user.is_authenticated and getattr(request.user, "customer_id", None):
        return redirect("start")
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
