"""E-invoice customers whose e-mail address fails, for billing: `manage.py export_failing_addresses
[--output FILE]`.

A `;` CSV in UTF-8 like export_consents (docs/consents-export.md, "Failing addresses"), one row per
e-invoice customer whose login address a mail server refused for good, so billing sends them
their invoices on paper until the address is fixed.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand

from exchange.management.commands.export_consents import _Stdout
from notices.services import FAILING_COLUMNS, failing_einvoice_rows


class Command(BaseCommand):
    help = "Export the e-invoice customers whose e-mail address fails (paper for them) as a ';' CSV for billing."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")

    def handle(self, *args, output: Path | None, verbosity: int, **options):
        with output.open("w", encoding="utf-8", newline="") if output else _Stdout(self.stdout) as f:
            writer = csv.writer(f, delimiter=";", quotechar='"', lineterminator="\n")
            writer.writerow(FAILING_COLUMNS)
            count = 0
            for row in failing_einvoice_rows():
                writer.writerow(row)
                count += 1
        if output and verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{count} customers written to {output}"))
