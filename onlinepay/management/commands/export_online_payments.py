"""CSV of the online payments confirmed since a date, for billing (docs/online-payments.md).

One row per document of each confirmed payment, so billing can book each document's part;
written to standard output (or --output), UTF-8, semicolons, amounts with a dot.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from payments import PaymentStatus

from onlinepay.models import OnlinePaymentLine

HEADER = [
    "referencja",
    "id_zamowienia_payu",
    "nr_odbiorcy",
    "nr_dokumentu",
    "kwota",
    "kwota_platnosci",
    "waluta",
    "oplacono",
    "zaksiegowano",
]


class Command(BaseCommand):
    help = "Online payments confirmed since --since (YYYY-MM-DD) as CSV, one row per document, for billing."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="first day (YYYY-MM-DD, Europe/Warsaw) of confirmation")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, since: str, output: str | None = None, **options):
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise CommandError(f"--since must be a date written as YYYY-MM-DD; got {since!r}") from None
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        lines = (
            OnlinePaymentLine.objects.filter(payment__status=PaymentStatus.CONFIRMED, payment__confirmed_at__gte=start)
            .select_related("payment")
            .order_by("payment__confirmed_at", "payment__reference", "document_number")
        )
        stream = open(output, "w", newline="", encoding="utf-8") if output else self.stdout  # noqa: SIM115
        try:
            writer = csv.writer(stream, delimiter=";", lineterminator="\n")
            writer.writerow(HEADER)
            rows = 0
            for line in lines.iterator(chunk_size=2000):
                p = line.payment
                writer.writerow(
                    [
                        p.reference,
                        p.transaction_id,
                        p.customer_id,
                        line.document_number,
                        f"{line.amount:.2f}",
                        f"{p.total:.2f}",
                        p.currency,
                        timezone.localtime(p.confirmed_at).isoformat(timespec="seconds"),
                        timezone.localtime(p.booked_at).isoformat(timespec="seconds") if p.booked_at else "",
                    ]
                )
                rows += 1
        finally:
            if output:
                stream.close()
        if output and options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"{rows} rows written to {output}"))
