"""A request's typed data as (label, value) rows, in the active language: for the case page, the
admin and the case's first message. One place, so every view of a request says the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from heat.models import ComplaintReason, HeatRequest, Kind


def when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "d.m.Y H:i")


def day(value: dt.date) -> str:
    return formats.date_format(value, "d.m.Y")


def degrees(value: str) -> str:
    return f"{formats.number_format(Decimal(value), 1)} °C"


def megawatts(value: str) -> str:
    return f"{formats.number_format(Decimal(value), 3)} MW"


def due_text(req: HeatRequest) -> str:
    """ "realizacja do 02.12.2026 08:00" or "odpowiedź do 15.12.2026" (one template, shared with e-mails)."""
    return render_to_string("heat/_due.txt", {"req": req}).strip()


def _setback(setting: dict | None) -> str:
    if not setting:
        return _("wyłączone")
    return _("%(start)s–%(end)s, obniżenie o %(lower)s") % {
        "start": setting["from"],
        "end": setting["to"],
        "lower": degrees(setting["lower_c"]),
    }


def rows(req: HeatRequest, points=None) -> list[tuple[str, str]]:
    """The typed data; ``req.delivery_points`` (unless ``points`` are given) should be prefetched."""
    data = req.data
    points = [f"{p.code}: {p.address}" for p in (req.delivery_points.all() if points is None else points)]
    out: list[tuple[str, str]] = [(_("Rodzaj"), req.get_kind_display())]
    if points:
        out.append((_("Punkty odbioru") if len(points) > 1 else _("Punkt odbioru"), "; ".join(points)))
    if req.kind in (Kind.HEATING_START, Kind.HEATING_STOP, Kind.REFILL) and req.requested_at:
        out.append((_("Wskazany termin"), when(req.requested_at)))
    if req.kind == Kind.REFILL and data.get("volume_m3"):
        out.append((_("Szacowana ilość wody"), f"{formats.number_format(Decimal(data['volume_m3']), 1)} m³"))
    if req.kind == Kind.CONTROLLER:
        out.append((_("Temperatura zewnętrzna włączenia ogrzewania"), degrees(data["switch_on_c"])))
        out.append((_("Obniżenie nocne"), _setback(data.get("night"))))
        out.append((_("Obniżenie weekendowe"), _setback(data.get("weekend"))))
    if req.kind == Kind.POWER:
        out.append((_("Obecna moc zamówiona"), megawatts(data["current_mw"])))
        out.append((_("Nowa moc zamówiona"), megawatts(data["new_mw"])))
        out.append((_("Od dnia"), day(req.effective_from)))
    if req.kind == Kind.INTERRUPTION:
        out.append((_("Przerwa od"), when(req.requested_at)))
        out.append((_("Przerwa do"), when(req.requested_until)))
        out.append((_("Zakres prac"), data["works"]))
    if req.kind == Kind.COMPLAINT:
        if req.document_id:
            out.append((_("Dokument"), req.document_id))
        out.append((_("Co jest nie tak"), str(ComplaintReason(data["reason"]).label)))
        out.append((_("Opis"), data["description"]))
    return out


def as_text(req: HeatRequest, comment: str = "", points=None) -> str:
    lines = [f"{label}: {value}" for label, value in rows(req, points)]
    if comment:
        lines += ["", _("Uwagi: %(comment)s") % {"comment": comment}]
    return "\n".join(lines)
