"""Reads the meters pages and the start page share: readings, monthly consumption, legalisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from meters.models import Meter, Reading

LEGALISATION_WARNING_DAYS = 90


def legalisation_ending(customer_id: str, *, within_days: int = LEGALISATION_WARNING_DAYS) -> list[Meter]:
    """Current meters whose legalisation ends within ``within_days`` (or has ended)."""
    limit = timezone.localdate() + dt.timedelta(days=within_days)
    return list(
        Meter.objects.filter(customer_id=customer_id, removed_on__isnull=True, legalisation_until__lte=limit)
        .select_related("delivery_point")
        .order_by("legalisation_until", "serial")
    )


def closed_month(reading_date: dt.date) -> tuple[int, int]:
    """The (year, month) whose use a reading closes: that of the day before the reading.

    Readings are taken on the first of a month, so the reading of 01.12 closes November (the use
    up to the end of 30.11); a reading later in a month closes that same month.
    """
    day_before = reading_date - dt.timedelta(days=1)
    return (day_before.year, day_before.month)


def monthly_deltas(readings: list[Reading]) -> dict[tuple[int, int], Decimal]:
    """Consumption per (year, month) of ONE meter from its cumulative readings.

    Each delta between consecutive readings counts in the month the later reading closes
    (``closed_month``: a reading on the first of a month closes the month before), provided the
    earlier reading lies within that month or on its first day; a delta over a longer gap belongs
    to no single month, so those months stay unknown rather than one of them taking it all. A value
    lower than the one before (a reset or a wrong reading) gives no consumption rather than a
    negative one (the month still counts as read). Readings of different meters are never
    subtracted from each other, so a meter exchange cannot produce a negative or a huge jump.
    """
    result: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    ordered = sorted(readings, key=lambda r: r.date)
    for before, after in zip(ordered, ordered[1:], strict=False):
        year, month = closed_month(after.date)
        if before.date < dt.date(year, month, 1):
            continue  # the use of several months, which no one month can claim: they stay unknown
        # A month a reading closed is known even when its use is nil (or the value went down).
        result[(year, month)] += max(after.value - before.value, Decimal(0))
    return dict(result)


@dataclass
class ConsumptionSeries:
    """Monthly consumption at one delivery point for one meter kind (heat in GJ, water in m³)."""

    point_code: str
    kind: str
    unit: str
    by_month: dict[tuple[int, int], Decimal]

    def year(self, year: int) -> list[Decimal | None]:
        """Twelve months of ``year``; None for a month no reading closed (unknown, not zero)."""
        return [self.by_month.get((year, m)) for m in range(1, 13)]

    @property
    def max_month(self) -> Decimal:
        return max(self.by_month.values(), default=Decimal(0))


def consumption(meters: list[Meter], readings_by_meter: dict[str, list[Reading]]) -> list[ConsumptionSeries]:
    """Sum per-meter monthly deltas per (delivery point, meter kind)."""
    series: dict[tuple[str, str], ConsumptionSeries] = {}
    for meter in meters:
        key = (meter.delivery_point_id, meter.kind)
        target = series.setdefault(key, ConsumptionSeries(meter.delivery_point_id, meter.kind, meter.unit, {}))
        for month, delta in monthly_deltas(readings_by_meter.get(meter.serial, [])).items():
            target.by_month[month] = target.by_month.get(month, Decimal(0)) + delta
    return [series[k] for k in sorted(series)]


def largest_monthly_consumption(meter: Meter) -> Decimal:
    readings = list(Reading.objects.filter(meter=meter).only("date", "value"))
    return max(monthly_deltas(readings).values(), default=Decimal(0))
