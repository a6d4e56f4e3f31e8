"""Demo interruptions for `make run`: one going on now and one planned for next week.

Idempotent (the import's identifiers DEMO-AWARIA and DEMO-PLANOWANA): run again, it changes
nothing and e-mails nobody twice. Published like any other, so demo logins on the affected
points get their e-mail from the mail worker.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from billing.models import DeliveryPoint
from outages import services
from outages.models import AffectedStreet, Interruption, street_name


def seed() -> None:
    # A point of a demo customer with a login (accounts.demo), so Pulpit shows both after login.
    points = DeliveryPoint.objects.exclude(substation="").order_by("code")
    point = points.filter(customer__user__isnull=False).first() or points.first()
    if point is None:
        return
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        current, created = Interruption.objects.get_or_create(
            ref="DEMO-AWARIA",
            defaults={
                "kind": Interruption.Kind.UNPLANNED,
                "starts_at": now - timedelta(hours=3),
                "expected_end_at": now + timedelta(hours=5),
                "announced_at": now - timedelta(hours=3),
                "substation": point.substation,
                "description": "Awaria sieci ciepłowniczej: wymieniamy uszkodzony odcinek rury. "
                "Nie ma ogrzewania ani ciepłej wody.",
            },
        )
        if created:
            services.publish(interruption=current)
        upcoming, created = Interruption.objects.get_or_create(
            ref="DEMO-PLANOWANA",
            defaults={
                "kind": Interruption.Kind.PLANNED,
                "starts_at": (now + timedelta(days=8)).replace(hour=7),
                "expected_end_at": (now + timedelta(days=10)).replace(hour=15),
                "announced_at": now,
                "description": "Planowany przegląd sieci ciepłowniczej na całej ulicy: "
                "przerwa w dostawie ciepła i ciepłej wody.",
            },
        )
        if created:
            AffectedStreet.objects.create(interruption=upcoming, city=point.city, street=street_name(point.street))
            services.publish(interruption=upcoming)
