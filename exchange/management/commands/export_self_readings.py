"""Write accepted self-readings as `odczyty.csv` in the billing-export format, for the billing system.

    manage.py export_self_readings --since 2026-11-01 [--output odczyty.csv]

Columns exactly as docs FORMAT.md (odczyty.csv): `nr_fabryczny;data;wskazanie;zrodlo`,
`;`-separated, decimal comma, UTF-8, source `klient`. Readings accepted on or after --since
(Europe/Warsaw) are written; the billing system upserts by (meter, date), so overlapping runs
are harmless.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meters.models import Reading, SelfReading

HEADER = ["nr_fabryczny", "data", "wskazanie", "zrodlo"]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since must be YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = "Export accepted self-readings as odczyty.csv (billing-export format)."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, type=_date, help="accepted on or after this date (YYYY-MM-DD)")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, since: dt.date, output: str | None = None, **options):
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        rows = (
            SelfReading.objects.filter(status=SelfReading.Status.ACCEPTED, decided_at__gte=start)
            .order_by("meter_id", "reading_date")
            .values_list("meter_id", "reading_date", "value")
        )
        stream = open(output, "w", encoding="utf-8", newline="") if output else self.stdout  # noqa: SIM115
        try:
            writer = csv.writer(stream, delimiter=";", quotechar='"', lineterminator="\n")
            writer.writerow(HEADER)
            count = 0
            for serial, date, value in rows.iterator():
                writer.writerow([serial, date.isoformat(), f"{value:.3f}".replace(".", ","), Reading.Source.CUSTOMER])
                count += 1
        finally:
            if output:
                stream.close()
        if options["verbosity"] >= 1:
            self.stderr.write(self.style.SUCCESS(f"{count} self-reading(s) exported since {since:%Y-%m-%d}"))
