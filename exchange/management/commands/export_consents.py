"""Write the consent history for the billing system: `manage.py export_consents --since DATE [--output FILE]`.

A `;` CSV in UTF-8 like the billing export (docs/billing-export.md, "Consents for billing"), one row
per consent given or withdrawn since DATE, oldest first, so billing stops printing paper for
e-invoice customers.
"""

import csv
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.services import CONSENT_COLUMNS, consent_rows


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since must be a date YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Export consents given or withdrawn since a date as a ';' CSV for the billing system."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD (from 00:00 Europe/Warsaw)")
        parser.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")

    def handle(self, *args, since: str, output: Path | None, verbosity: int, **options):
        start = _date(since)
        with output.open("w", encoding="utf-8", newline="") if output else _Stdout(self.stdout) as f:
            writer = csv.writer(f, delimiter=";", quotechar='"', lineterminator="\n")
            writer.writerow(CONSENT_COLUMNS)
            count = 0
            for row in consent_rows(start):
                writer.writerow(row)
                count += 1
        if output and verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{count} consent rows written to {output}"))


class _Stdout:
    """The command's stdout as a file for csv.writer (OutputWrapper would add a newline per write)."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.out.flush()
