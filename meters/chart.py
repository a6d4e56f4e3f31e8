"""Geometry for the inline SVG consumption chart: this year against last year, month by month.

Computed here so the template only places rectangles; no chart library, no CDN, no script.
The SVG coordinates come as strings with a decimal dot (a Polish page would print a comma) and
the month names already translated: the template writes them as they are, twelve months times
several values per chart, without a filter or a lazy translation each.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import pgettext_lazy

from meters.selectors import ConsumptionSeries

# Written out so makemessages finds each one.
MONTHS = [
    pgettext_lazy("skrót miesiąca", "sty"),
    pgettext_lazy("skrót miesiąca", "lut"),
    pgettext_lazy("skrót miesiąca", "mar"),
    pgettext_lazy("skrót miesiąca", "kwi"),
    pgettext_lazy("skrót miesiąca", "maj"),
    pgettext_lazy("skrót miesiąca", "cze"),
    pgettext_lazy("skrót miesiąca", "lip"),
    pgettext_lazy("skrót miesiąca", "sie"),
    pgettext_lazy("skrót miesiąca", "wrz"),
    pgettext_lazy("skrót miesiąca", "paź"),
    pgettext_lazy("skrót miesiąca", "lis"),
    pgettext_lazy("skrót miesiąca", "gru"),
]
WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 600, 220, 10, 30, 10
SLOT = (WIDTH - LEFT) / 12
BAR = SLOT * 0.38


def bars(series: ConsumptionSeries, year: int, *, current_month: int = 12) -> dict:
    """Bars for ``year`` and the year before; months of ``year`` after ``current_month`` are "future"."""
    this_year, last_year = series.year(year), series.year(year - 1)
    peak = max(this_year + last_year + [Decimal(0)])
    plot = HEIGHT - TOP - BOTTOM

    def height(value: Decimal) -> float:
        return round(float(value / peak) * plot, 1) if peak else 0.0

    def svg(value: float) -> str:
        return str(round(value, 1))

    months = []
    for i, (now, before) in enumerate(zip(this_year, last_year, strict=True)):
        x = LEFT + i * SLOT
        h_last, h_this = height(before), height(now)
        months.append(
            {
                "label": str(MONTHS[i]),
                "this": now,
                "last": before,
                "x_last": svg(x + SLOT * 0.1),
                "x_this": svg(x + SLOT * 0.1 + BAR),
                "y_last": svg(TOP + plot - h_last),
                "y_this": svg(TOP + plot - h_this),
                "h_last": svg(h_last),
                "h_this": svg(h_this),
                "x_label": svg(x + SLOT / 2),
                "future": i + 1 > current_month,
            }
        )
    return {
        "months": months,
        "width": WIDTH,
        "height": HEIGHT,
        "bar": svg(BAR),
        "baseline": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "year": year,
        "last_year": year - 1,
        "total_this": sum(this_year, Decimal(0)),
        "total_last": sum(last_year, Decimal(0)),
    }
