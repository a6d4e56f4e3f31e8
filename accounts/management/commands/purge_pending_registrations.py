"""Remove registrations whose password was never set, older than EBOK_PENDING_REGISTRATION_DAYS.

Run daily from cron, e.g. ``15 3 * * * cd /srv/ebok && .venv/bin/python manage.py purge_pending_registrations``.
The customer can simply register again afterwards.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import purge_pending_registrations


class Command(BaseCommand):
    help = "Delete pending (never activated) customer accounts older than EBOK_PENDING_REGISTRATION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report how many would be deleted.")

    def handle(self, *args, dry_run: bool = False, **options):
        count = purge_pending_registrations(dry_run=dry_run)
        days = settings.EBOK_PENDING_REGISTRATION_DAYS
        verb = "Would delete" if dry_run else "Deleted"
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} pending registration(s) older than {days} days."))
