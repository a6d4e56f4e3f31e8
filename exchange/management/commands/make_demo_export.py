"""Write the project's demo billing export: `manage.py make_demo_export FOLDER [--next-month]`.

Deterministic: the same reference date gives the same files. `--next-month` writes only the
following month's new invoices and payments (a delta export, as the billing system sends daily).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.demo import build_export, next_month_export, write_export


class Command(BaseCommand):
    help = "Write the demo billing export (18 months up to the reference date) into FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--reference-date",
            type=dt.date.fromisoformat,
            default=None,
            help="The export's 'today' (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--next-month",
            action="store_true",
            help="Only the new invoices and payments of the month after the reference date.",
        )

    def handle(self, *args, folder: Path, reference_date: dt.date | None, next_month: bool, **options):
        reference = reference_date or dt.date.today()
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty; give a new or empty folder.")
        export = next_month_export(reference) if next_month else build_export(reference)
        written = write_export(export, folder)
        for filename, rows in written.items():
            self.stdout.write(f"{filename}: {rows}", ending="\n") if options["verbosity"] >= 2 else None
        self.stdout.write(
            self.style.SUCCESS(f"Demo export ({reference}{', next month' if next_month else ''}) written to {folder}.")
        )
