"""Audit trail of security-relevant events: failed logins, registrations, resets, staff actions.

Call ``audit("login_failed", request=request, customer_number="100001")`` where it happens; a
service, which never sees the request, passes ``user=`` and ``ip=`` instead.
Every event becomes one structured log line on the ``ebok.audit`` logger and one ``AuditEvent``
row that staff read in the admin. Staff changes made in the admin are recorded by a signal on
Django's own admin log (``record_admin_change``), so no ModelAdmin has to remember to call this.
"""

from __future__ import annotations

import ipaddress
import json
import logging

from ebok.logging import request_id_var

log = logging.getLogger("ebok.audit")


def client_ip(request) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR is what nginx forwarded to gunicorn; deployment.md has nginx set it to the client.
    address = request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _jsonable(details: dict) -> dict:
    # Details come from every app; anything JSON cannot hold (a date, a Decimal) is kept as text.
    return json.loads(json.dumps(details, default=str))


def audit(
    event: str, *, request=None, user=None, ip: str | None = None, customer_number: str | None = None, **details
) -> None:
    from ebok.models import AuditEvent

    actor = user if user is not None else getattr(request, "user", None)
    actor_name = actor.get_username() if actor is not None and actor.is_authenticated else None
    ip = ip or client_ip(request)
    request_id = getattr(request, "id", None) or request_id_var.get()
    details = _jsonable(details)
    log.info(
        "%s actor=%s customer=%s ip=%s %s",
        event,
        actor_name,
        customer_number,
        ip,
        " ".join(f"{k}={v}" for k, v in sorted(details.items())),
        extra={"event": event, "actor": actor_name, "customer_number": customer_number, "details": details},
    )
    AuditEvent.objects.create(
        event=event,
        actor=actor_name or "",
        customer_number=customer_number or "",
        ip=ip,
        request_id="" if request_id == "-" else request_id,
        details=details,
    )


def record_admin_change(sender, instance, created: bool, **kwargs) -> None:
    """post_save of admin.LogEntry: every add, change or delete made in the admin."""
    if not created:
        return
    from ebok.security import current_request_var

    customer_number = _customer_number_of(instance)
    audit(
        "admin_" + {1: "add", 2: "change", 3: "delete"}.get(instance.action_flag, "action"),
        request=current_request_var.get(),
        user=instance.user,
        customer_number=customer_number,
        model=f"{instance.content_type.app_label}.{instance.content_type.model}" if instance.content_type else "",
        object_id=str(instance.object_id),
        object=instance.object_repr,
        change=instance.get_change_message(),
    )


def _customer_number_of(entry) -> str | None:
    """The customer an admin change concerns, when the object says so (a customer, their login...)."""
    try:
        obj = entry.get_edited_object()
    except Exception:  # deleted by now, or a model without a default manager: the repr is logged anyway
        return None
    if obj.__class__.__name__ == "Customer":
        return str(obj.pk)
    customer_id = getattr(obj, "customer_id", None)
    return str(customer_id) if customer_id is not None else None


def record_admin_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed on the admin's login page (the customer login audits itself in accounts)."""
    from django.urls import reverse

    if request is None or not request.path.startswith(reverse("admin:index")):
        return
    audit("admin_login_failed", request=request, username=str(credentials.get("username", ""))[:150])
