"""Geometry for the inline SVG consumption chart: this year against last year, month by month.

Computed here so the template only places rectangles; no chart library, no CDN, no script.
The SVG coordinates come as strings with a decimal dot (a Polish page would print a comma), the
month names already translated and each month's values already formatted (1 234,567): the template
writes them as they are, twelve months times several values per chart, without a filter or a lazy
translation each.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.utils.translation import pgettext_lazy

from billing.templatetags.ebok_format import format_number
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
WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 600, 220, 10, 30, 56
SLOT = (WIDTH - LEFT) / 12
BAR = SLOT * 0.38
TICKS = 4  # about this many steps on the value axis


def axis_top_and_step(peak: Decimal) -> tuple[Decimal, Decimal]:
    """A round step (1, 2 or 5 times a power of ten) and the first multiple of it at or above ``peak``."""
    if peak <= 0:
        return Decimal(1), Decimal(1)
    rough = peak / TICKS
    power = Decimal(10) ** rough.adjusted()
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    top = step * (peak / step).to_integral_value(rounding=ROUND_CEILING)
    return top, step


def bars(series: ConsumptionSeries, year: int, *, current_month: int = 12) -> dict:
    """Bars for ``year`` and the year before; months of ``year`` after ``current_month`` are "future".

    A month without readings has no bar (None, shown as "—"), never a bar of zero. The totals sum
    only the months known in both years, so the comparison is like for like.
    """
    this_year = [None if m > current_month else v for m, v in enumerate(series.year(year), start=1)]
    last_year = series.year(year - 1)
    peak = max([v for v in this_year + last_year if v is not None] + [Decimal(0)])
    top, step = axis_top_and_step(peak)
    plot = HEIGHT - TOP - BOTTOM

    def height(value: Decimal | None) -> float:
        return round(float(value / top) * plot, 1) if value is not None else 0.0

    def svg(value: float) -> str:
        return str(round(value, 1))

    places = 0 if step >= 1 else len(str(step.normalize()).partition(".")[2])
    ticks = []
    value = Decimal(0)
    while value <= top:
        ticks.append({"value": value, "label": format_number(value, places), "y": svg(TOP + plot - height(value))})
        value += step

    months = []
    for i, (now, before) in enumerate(zip(this_year, last_year, strict=True)):
        x = LEFT + i * SLOT
        h_last, h_this = height(before), height(now)
        months.append(
            {
                "label": str(MONTHS[i]),
                "this": now,
                "last": before,
                "this_text": format_number(now, 3),  # "" for a month without readings
                "last_text": format_number(before, 3),
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
    both = [(now, before) for now, before in zip(this_year, last_year, strict=True) if None not in (now, before)]
    return {
        "months": months,
        "width": WIDTH,
        "height": HEIGHT,
        "bar": svg(BAR),
        "baseline": HEIGHT - BOTTOM,
        "ticks": ticks,
        "axis_x": LEFT - 4,
        "grid_x": LEFT,
        "places": places,
        "label_y": HEIGHT - BOTTOM + 18,
        "year": year,
        "last_year": year - 1,
        "total_this": sum((now for now, _ in both), Decimal(0)),
        "total_last": sum((before for _, before in both), Decimal(0)),
    }
