"""Record logins for "Ostatnie logowania" and failed logins for the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver
from django.utils import timezone

from accounts.models import AccountAttempt, LoginEvent
from ebok.audit import audit, client_ip

# Billing's e-mail on file disowned an active login ("to nie ja"); the login is frozen. Sent with
# ``user`` and ``disputed_email`` (the address that had been set); the cases app opens a case.
account_disputed = Signal()


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    if request is not None:
        # The absolute session limit counts from here (accounts.middleware).
        request.session["ebok_login_at"] = request.session["ebok_seen_at"] = int(timezone.now().timestamp())
    LoginEvent.objects.create(
        user=user,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:200],
    )
    audit("login", request=request, user=user, customer_number=user.username)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    # "stage": "code" marks a wrong code at the second step (accounts.views_2fa).
    stage = {"stage": credentials["stage"]} if "stage" in credentials else {}
    username = str(credentials.get("username", ""))[:40]
    audit("login_failed", request=request, customer_number=username, **stage)
    # Counted per address across numbers (accounts.services.login_throttled); axes counts per
    # (number, address).
    AccountAttempt.objects.create(
        kind=AccountAttempt.Kind.LOGIN,
        customer_number=username,
        ip=client_ip(request),
        outcome=AccountAttempt.Outcome.FAILED,
    )
