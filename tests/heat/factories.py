"""Requests filed the way the portal files them (through the service), for tests that start later."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from heat import services
from heat.models import HeatRequest, Kind


def file_heating_start(customer, points, *, at: dt.datetime | None = None) -> HeatRequest:
    at = at or timezone.now() + dt.timedelta(hours=6)
    return services.request_file(
        customer=customer,
        author=getattr(customer, "user", None),
        kind=Kind.HEATING_START,
        points=points,
        requested_at=at,
    )
