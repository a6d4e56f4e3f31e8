"""Record logins for "Ostatnie logowania" and failed logins for the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from accounts.models import AccountAttempt, CustomerAccess, LoginEvent, User
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


@receiver(post_save, sender=User)
def owner_of_own_customer(sender, instance, created, raw=False, **kwargs):
    """The login created for a customer number (registration, demo, staff in the admin) is its
    właściciel. Only on creation: a login's own customer never changes."""
    if created and not raw and instance.customer_id:
        CustomerAccess.objects.create(
            user=instance,
            customer_id=instance.customer_id,
            role=CustomerAccess.Role.OWNER,
            source=CustomerAccess.Source.REGISTRATION,
            granted_at=instance.date_joined,
        )
