"""Polish number and date formats for every customer page: ``1 234,56 zł``, ``24.11.2026``.

Explicit filters rather than locale settings, so the format is the same in every language
the portal speaks (the amounts are Polish money on Polish documents).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

from billing.validators import format_nrb

register = template.Library()
NBSP = "\u00a0"


def _group(digits: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return NBSP.join(parts)


def format_number(value, places: int = 2) -> str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    quantized = number.quantize(Decimal(1).scaleb(-places)) if places else number.quantize(Decimal(1))
    sign = "−" if quantized < 0 else ""
    text = f"{abs(quantized):.{places}f}"
    whole, _, frac = text.partition(".")
    return f"{sign}{_group(whole)}{',' + frac if frac else ''}"


@register.filter
def pln(value) -> str:
    """1234.5 -> '1 234,50 zł' (non-breaking spaces, a real minus sign)."""
    text = format_number(value, 2)
    return f"{text}{NBSP}zł" if text else ""


@register.filter
def num(value, places=3) -> str:
    return format_number(value, int(places))


@register.filter
def pldate(value) -> str:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return ""


@register.filter
def nrb(value) -> str:
    return format_nrb(value or "")
