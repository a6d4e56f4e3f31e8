"""The page behind List-Unsubscribe (accounts.unsubscribe): GET asks, POST switches the notice off."""

from __future__ import annotations

from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts import unsubscribe as unsubscribing
from ebok.audit import client_ip

ONE_CLICK = "One-Click"


def _csrf_failure(request):
    """Django's CSRF check for this request: None when it passes, else the 403 response."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


# csrf_exempt, and the check made here instead, for one case only: RFC 8058's one-click POST
# comes from the recipient's mail provider (Gmail, Outlook…), not from a page of ours, so it
# cannot carry our CSRF token; it carries the body "List-Unsubscribe=One-Click" and the signed
# token in the URL, and that token (unguessable, naming one login and one notice) is what
# authorises it, not a session cookie a forged request could ride on. Every other POST (the
# button on the confirmation page) goes through Django's CSRF check as usual.
@csrf_exempt
@never_cache
def unsubscribe(request, token: str):
    found = unsubscribing.read(token)
    if found is None:
        return render(request, "accounts/unsubscribe_invalid.html", status=404)
    user, notice = found
    context = {"notice": notice, "customer_number": user.username}
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") != ONE_CLICK and (failure := _csrf_failure(request)) is not None:
            return failure
        unsubscribing.switch_off(user=user, notice=notice, ip=client_ip(request))
        return render(request, "accounts/unsubscribe_done.html", context)
    # A GET (a person clicking the link, or a mail scanner following it) only asks.
    context["off"] = not getattr(user, unsubscribing.NOTICES[notice])
    return render(request, "accounts/unsubscribe.html", context)
