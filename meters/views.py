"""Liczniki: meters per delivery point, readings, consumption chart, and "Podaj odczyt"."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from pathlib import Path

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from billing.models import DeliveryPoint
from ebok.access import ACT, customer_required, get_for_customer_or_404
from ebok.audit import client_ip
from ebok.files import private_file_response
from meters.chart import bars
from meters.forms import SelfReadingForm
from meters.models import Meter, Reading, SelfReading
from meters.selectors import LEGALISATION_WARNING_DAYS, consumption
from meters.services import AlreadyPending, self_reading_submit

READINGS_SHOWN = 24
log = logging.getLogger(__name__)


def _get_meter_for_customer(request, serial: str) -> Meter:
    return get_for_customer_or_404(request, Meter.objects.select_related("delivery_point"), serial=serial)


@require_GET
@customer_required
def meter_list(request):
    customer = request.customer
    points = list(DeliveryPoint.objects.filter(customer=customer).order_by("code"))
    meters = list(Meter.objects.filter(customer=customer).order_by("delivery_point", "removed_on", "-installed_on"))
    readings = Reading.objects.filter(meter__customer=customer).order_by("meter", "date")
    readings_by_meter: dict[str, list[Reading]] = defaultdict(list)
    for reading in readings:
        readings_by_meter[reading.meter_id].append(reading)
    pending = {s.meter_id: s for s in SelfReading.objects.filter(customer=customer, status=SelfReading.Status.PENDING)}
    today = timezone.localdate()
    warn_until = today + dt.timedelta(days=LEGALISATION_WARNING_DAYS)
    series = {(s.point_code, s.kind): s for s in consumption(meters, readings_by_meter)}
    by_point: dict[str, list[Meter]] = defaultdict(list)
    for meter in meters:
        history = readings_by_meter.get(meter.serial, [])
        meter.recent_readings = list(reversed(history[-READINGS_SHOWN:]))
        meter.reading_count = len(history)
        meter.pending = pending.get(meter.serial)
        meter.legalisation_soon = bool(
            meter.is_current and meter.legalisation_until and meter.legalisation_until <= warn_until
        )
        by_point[meter.delivery_point_id].append(meter)
    sections = []
    for point in points:
        kinds = sorted({m.kind for m in by_point[point.code]})
        charts = []
        for kind in kinds:
            s = series.get((point.code, kind))
            if s and s.by_month:
                chart = bars(s, today.year, current_month=today.month)
                chart.update(
                    {
                        "unit": Meter.Unit(s.unit).label,
                        "kind_label": Meter.Kind(kind).label,
                        "id": f"{point.code}-{kind}",
                    }
                )
                charts.append(chart)
        sections.append({"point": point, "meters": by_point[point.code], "charts": charts})
    return render(request, "meters/list.html", {"sections": sections})


@require_http_methods(["GET", "POST"])
@customer_required(action=ACT)
def self_reading(request, serial: str):
    meter = _get_meter_for_customer(request, serial)
    if not meter.is_current:
        raise Http404
    last = Reading.objects.filter(meter=meter).order_by("-date").first()
    last_value = last.value if last else None
    if request.method == "POST":
        form = SelfReadingForm(request.POST, request.FILES, meter=meter, last_value=last_value)
        if form.is_valid():
            try:
                self_reading_submit(
                    meter=meter,
                    value=form.cleaned_data["value"],
                    photo=form.cleaned_data["photo"],
                    user=request.user,
                    ip=client_ip(request),
                )
            except AlreadyPending:
                form.add_error("value", _("Na ten licznik czeka już Twój odczyt. Poczekaj, aż go rozpatrzymy."))
            else:
                messages.success(request, _("Dziękujemy. Odczyt czeka na sprawdzenie przez Biuro Obsługi Klienta."))
                return redirect("meters:list")
    else:
        form = SelfReadingForm(meter=meter, last_value=last_value)
    return render(request, "meters/self_reading.html", {"form": form, "meter": meter, "last": last})


@require_GET
@staff_member_required
def self_reading_photo(request, pk: int):
    """The photo of a self-reading, for staff with the right to view self-readings only."""
    if not request.user.has_perm("meters.view_selfreading"):
        raise PermissionDenied
    submission = get_object_or_404(SelfReading, pk=pk)
    if not submission.photo:
        raise Http404
    try:
        response = private_file_response(
            request, submission.photo, f"odczyt-{submission.pk}{Path(submission.photo).suffix}"
        )
    except Http404:
        log.error("self-reading photo missing: self_reading=%s path=%s", submission.pk, submission.photo)
        raise
    # Staff look at the photo in the browser; nosniff and the checked JPEG/PNG type keep that safe.
    response["Content-Disposition"] = "inline" + response["Content-Disposition"].removeprefix("attachment")
    response["Cache-Control"] = "private, no-store"
    return response
