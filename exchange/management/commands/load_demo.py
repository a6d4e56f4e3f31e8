"""Load the demo data: `manage.py load_demo` (run by `make run`).

Generates the demo export into a temporary folder and imports it through `import_billing`, so the
demo exercises the real import; then runs each seeder in settings.EBOK_DEMO_SEEDERS (each app's
own demo data). Idempotent: an already loaded demo is left as it is.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from billing.models import Customer
from exchange.demo import CUSTOMERS, build_export, demo_logins, write_export


class Command(BaseCommand):
    help = "Generate the demo billing export, import it, and run the demo seeders (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reference-date", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, reference_date: dt.date | None, verbosity: int, **options):
        if Customer.objects.filter(pk__in=[c.number for c in CUSTOMERS]).exists():
            self.stdout.write("Demo data already loaded; nothing imported.")
        else:
            with tempfile.TemporaryDirectory(prefix="ebok-demo-") as tmp:
                folder = Path(tmp) / "export"
                write_export(build_export(reference_date or dt.date.today()), folder)
                call_command("import_billing", str(folder), verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
        for path in settings.EBOK_DEMO_SEEDERS:
            import_string(path)()
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo customers: register with the number and the last invoice (tenants: settlement)"
                )
            )
            for login in demo_logins():
                self.stdout.write(
                    f"  {login['number']}  {login['kind']:<8} {login['name']:<38} {login['proof']:<30} {login['note']}"
                )
