"""What the pages show of interruptions: a customer's (Pulpit), a point's, and the public list.

Each is a fixed number of queries, whatever the number of interruptions and points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from billing.models import DeliveryPoint
from outages.models import AffectedPoint, AffectedStreet, Interruption, street_key, visible_q


@dataclass
class Affecting:
    """One interruption and the points of one customer it affects."""

    interruption: Interruption
    points: list[DeliveryPoint] = field(default_factory=list)
    compensation: str = ""  # why a compensation request may be filed ("" when it may not)
    visible: bool = True


def for_customer(customer, *, now=None) -> list[Affecting]:
    """The customer's current and upcoming interruptions, the soonest first; one query."""
    now = now or timezone.now()
    found: dict[int, Affecting] = {}
    rows = (
        AffectedPoint.objects.filter(visible_q(now, "interruption__"), point__customer=customer)
        .select_related("interruption", "point")
        .order_by("interruption__starts_at", "interruption_id", "point_id")
    )
    for row in rows:
        found.setdefault(row.interruption_id, Affecting(row.interruption)).points.append(row.point)
    return list(found.values())


def for_point(point: DeliveryPoint, *, now=None) -> list[Affecting]:
    """The point's current and upcoming interruptions, and those recently over that broke the
    quality standards (each with the reason, for the compensation request); one query."""
    now = now or timezone.now()
    recent = Q(interruption__ended_at__gte=now - timedelta(days=settings.EBOK_OUTAGE_COMPENSATION_DAYS))
    rows = (
        AffectedPoint.objects.filter(visible_q(now, "interruption__") | recent, point=point)
        .select_related("interruption")
        .order_by("interruption__starts_at", "interruption_id")
    )
    shown = []
    for row in rows:
        interruption = row.interruption
        item = Affecting(
            interruption,
            [point],
            compensation=interruption.exceeds_standard(now),
            visible=interruption.is_visible(now),
        )
        if item.visible or item.compensation:
            shown.append(item)
    return shown


def compensation_for(point: DeliveryPoint, pk: int, *, now=None) -> Affecting | None:
    """The interruption ``pk`` if it affects the point and a compensation request may be filed for it."""
    return next((item for item in for_point(point, now=now) if item.interruption.pk == pk and item.compensation), None)


@dataclass
class Street:
    city: str
    street: str
    interruptions: list[Interruption] = field(default_factory=list)


@dataclass
class Town:
    city: str
    streets: list[Street] = field(default_factory=list)


def _areas(now):
    """(interruption id, town, street) of every visible interruption: the streets staff named and
    those of the points it affects, without house numbers; one query."""
    named = AffectedStreet.objects.filter(visible_q(now, "interruption__")).values_list(
        "interruption_id", "city", "street"
    )
    of_points = AffectedPoint.objects.filter(visible_q(now, "interruption__")).values_list(
        "interruption_id", "city", "street"
    )
    return named.order_by().union(of_points.order_by())


def towns(*, now=None) -> list[str]:
    """The towns with a current or upcoming interruption, for the filter; one query."""
    now = now or timezone.now()
    named = AffectedStreet.objects.filter(visible_q(now, "interruption__")).values_list("city", flat=True)
    of_points = AffectedPoint.objects.filter(visible_q(now, "interruption__")).values_list("city", flat=True)
    return sorted(set(named.order_by().union(of_points.order_by())), key=str.casefold)


def public_list(*, city: str = "", street: str = "", now=None) -> list[Town]:
    """Current and upcoming interruptions by town and street, nothing about customers; two queries.

    ``city``: one town (as listed by ``towns``); ``street``: part of a street's name, any case."""
    now = now or timezone.now()
    city_key, street_part = city.strip().casefold(), street.strip().casefold()
    areas = {
        (pk, c, s)
        for pk, c, s in _areas(now)
        if (not city_key or c.casefold() == city_key) and (not street_part or street_part in s.casefold())
    }
    interruptions = Interruption.objects.in_bulk({pk for pk, _c, _s in areas})
    by_town: dict[str, dict[str, Street]] = {}
    for pk, c, s in areas:
        streets = by_town.setdefault(c, {})
        entry = streets.setdefault(street_key(s), Street(c, s))
        if interruptions[pk] not in entry.interruptions:  # named as a street and through its points
            entry.interruptions.append(interruptions[pk])
    result = []
    for c in sorted(by_town, key=str.casefold):
        streets = sorted(by_town[c].values(), key=lambda x: x.street.casefold())
        for entry in streets:
            entry.interruptions.sort(key=lambda i: (i.starts_at, i.pk))
        result.append(Town(c, streets))
    return result
