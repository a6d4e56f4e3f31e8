from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.selectors import unread_count

# The customer tabs in the seed's order.
CUSTOMER_TABS = [
    ("billing:contracts", _("Umowa")),
    ("billing:points", _("Punkt odbioru")),
    ("billing:payments", _("Płatności")),
    ("meters:list", _("Liczniki")),
    ("cases:list", _("Lista spraw")),
    ("billing:documents", _("Dokumenty")),
]


def _tabs(request):
    tabs = [{"name": name, "url": reverse(name), "label": label} for name, label in CUSTOMER_TABS]
    for tab in tabs:
        if tab["name"] == "cases:list":
            tab["badge"] = unread_count(request)
    return tabs


def portal(request):
    user = getattr(request, "user", None)
    is_customer = bool(user and user.is_authenticated and getattr(user, "customer_id", None))
    return {
        "utility_name": settings.EBOK_UTILITY_NAME,
        "utility_short_name": settings.EBOK_UTILITY_SHORT_NAME,
        "utility_phone": settings.EBOK_UTILITY_PHONE,
        "utility_email": settings.EBOK_UTILITY_EMAIL,
        "utility_address": settings.EBOK_UTILITY_ADDRESS,
        "customer_tabs": _tabs(request) if is_customer else [],
        "is_customer": is_customer,
        # The start page shows it too; it shares the badge's one query.
        "unread_case_messages": unread_count(request) if is_customer else 0,
    }
