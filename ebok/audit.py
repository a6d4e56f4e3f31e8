"""Audit trail of security-relevant events: failed logins, registrations, resets, staff actions.

Call ``audit("login_failed", request=request, customer_number="100001")`` where it happens.
Every event becomes one structured log line on the ``ebok.audit`` logger.
"""

from __future__ import annotations

import logging

log = logging.getLogger("ebok.audit")


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def audit(event: str, *, request=None, user=None, customer_number: str | None = None, **details) -> None:
    actor = user if user is not None else getattr(request, "user", None)
    actor_name = actor.get_username() if actor is not None and actor.is_authenticated else None
    log.info(
        "%s actor=%s customer=%s ip=%s %s",
        event,
        actor_name,
        customer_number,
        client_ip(request),
        " ".join(f"{k}={v}" for k, v in sorted(details.items())),
        extra={"event": event, "actor": actor_name, "customer_number": customer_number, "details": details},
    )
