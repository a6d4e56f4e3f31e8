"""Accepted requests as CSV for dispatch and billing: `manage.py export_requests --since DATE`.

One row per request and delivery point (a complaint, which names a document and no point, is one
row), for requests accepted on or after DATE (local time) and not rejected since. Format:
docs/requests-export.md. Two queries whatever the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from heat.models import HeatRequest

COLUMNS = [
    "sprawa",
    "rodzaj",
    "status",
    "odbiorca",
    "punkt",
    "wezel",
    "zlozono",
    "przyjeto",
    "termin",
    "od",
    "do",
    "moc_obecna_mw",
    "moc_nowa_mw",
    "dokument",
    "szczegoly",
]


def _iso(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def rows(since: dt.date):
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    qs = (
        HeatRequest.objects.filter(status__in=HeatRequest.EXPORTED, accepted_at__gte=start)
        .select_related("case")
        .prefetch_related("delivery_points")
        .order_by("accepted_at", "pk")
    )
    for req in qs:
        data = dict(req.data)
        current, new = data.pop("current_mw", ""), data.pop("new_mw", "")
        start_at = (
            _iso(req.requested_at)
            if req.requested_at
            else (req.effective_from.isoformat() if req.effective_from else "")
        )
        common = {
            "sprawa": req.case.number,
            "rodzaj": req.kind,
            "status": req.status,
            "odbiorca": req.customer_id,
            "zlozono": _iso(req.filed_at),
            "przyjeto": _iso(req.accepted_at),
            "termin": _iso(req.due_at),
            "od": start_at,
            "do": _iso(req.requested_until),
            "moc_obecna_mw": current,
            "moc_nowa_mw": new,
            "dokument": req.document_id or "",
            "szczegoly": json.dumps(data, ensure_ascii=False, sort_keys=True) if data else "",
        }
        points = list(req.delivery_points.all())
        for point in points or [None]:
            yield {**common, "punkt": point.code if point else "", "wezel": point.substation if point else ""}


class Command(BaseCommand):
    help = "Write requests accepted since a date as CSV (docs/requests-export.md)."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="the first day of acceptance, YYYY-MM-DD")
        parser.add_argument("--output", "-o", help="a file to write (standard output by default)")

    def handle(self, *args, since: str, output: str | None, verbosity: int, **options):
        try:
            day = dt.date.fromisoformat(since)
        except ValueError as error:
            raise CommandError(f"--since must be a date YYYY-MM-DD, got {since!r}") from error
        out = open(output, "w", newline="", encoding="utf-8") if output else self.stdout  # noqa: SIM115
        try:
            writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
            writer.writeheader()
            count = 0
            for row in rows(day):
                writer.writerow(row)
                count += 1
        finally:
            if output:
                out.close()
        if output and verbosity >= 1:
            self.stderr.write(self.style.SUCCESS(f"{count} rows written to {output}"))
