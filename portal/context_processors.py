from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.selectors import unread_count
from ebok import access

# The customer tabs in the seed's order, Pulpit first. The third item names the other pages
# the tab stands for ("cases:" is every page of that app): on them the tab is still marked.
CUSTOMER_TABS = [
    ("start", _("Pulpit"), ()),
    ("billing:contracts", _("Umowa"), ()),
    ("billing:points", _("Punkt odbioru"), ("billing:point",)),
    ("billing:payments", _("Płatności"), ()),
    ("meters:list", _("Liczniki"), ("meters:",)),
    ("cases:list", _("Lista spraw"), ("cases:",)),
    ("heat:list", _("Dyspozycje"), ("heat:",)),
    (
        "billing:documents",
        _("Dokumenty"),
        ("billing:documents_zip", "billing:document_pdf", "billing:other_document_pdf"),
    ),
]
# "Moje konto" (a link in the header, not a tab) and the pages under it.
MY_ACCOUNT = (
    "accounts:my_account",
    (
        "accounts:change_password",
        "accounts:change_email",
        "accounts:e_invoice_consent",
        "accounts:notice_preferences",
        "accounts:two_factor_enable",
        "accounts:two_factor_confirm",
        "accounts:two_factor_backup_codes",
        "accounts:two_factor_disable",
    ),
)


def _current(view_name: str, name: str, also: tuple[str, ...]) -> str:
    """The tab's aria-current: "page" on its own page, "true" on a page under it, "" elsewhere."""
    if view_name == name:
        return "page"
    if any(view_name == other or (other.endswith(":") and view_name.startswith(other)) for other in also):
        return "true"
    return ""


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _tabs(request):
    view_name = _view_name(request)
    tabs = [
        {"name": name, "url": reverse(name), "label": label, "current": _current(view_name, name, also)}
        for name, label, also in CUSTOMER_TABS
    ]
    for tab in tabs:
        if tab["name"] == "cases:list":
            tab["badge"] = unread_count(request)
    return tabs


def _header(request) -> dict:
    """Which customer the page shows and the login's others, from the one query of its access rows."""
    user = getattr(request, "user", None)
    login_grants = access.grants(user) if user is not None and user.is_authenticated else {}
    customer = access.shown_customer(request) if login_grants else None
    return {
        "is_customer": bool(login_grants) and customer is not None,
        "has_customers": bool(login_grants),
        "shown_customer": customer,
        "shown_role": login_grants[customer.pk].get_role_display()
        if customer is not None and customer.pk in login_grants
        else "",
        "several_customers": len(login_grants) > 1,
        "customers_url": access.reverse_without_customer(access.CHOOSE_VIEW) if len(login_grants) > 1 else "",
    }


def portal(request):
    header = _header(request)
    is_customer = header["is_customer"]
    return {
        **header,
        "utility_name": settings.EBOK_UTILITY_NAME,
        "utility_short_name": settings.EBOK_UTILITY_SHORT_NAME,
        "utility_phone": settings.EBOK_UTILITY_PHONE,
        "utility_email": settings.EBOK_UTILITY_EMAIL,
        "utility_address": settings.EBOK_UTILITY_ADDRESS,
        # The heating emergency line (pogotowie ciepłownicze), in every page's footer.
        "emergency_phone": settings.EBOK_UTILITY_EMERGENCY_PHONE,
        "customer_tabs": _tabs(request) if is_customer else [],
        "my_account_current": _current(_view_name(request), *MY_ACCOUNT) if is_customer else "",
        "is_customer": is_customer,
        # The start page shows it too; it shares the badge's one query.
        "unread_case_messages": unread_count(request) if is_customer else 0,
    }
