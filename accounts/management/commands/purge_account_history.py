"""Remove throttling attempts older than EBOK_ATTEMPT_DAYS and login history older than
EBOK_LOGIN_HISTORY_DAYS: both hold client IP addresses, personal data kept no longer than needed.

Run daily from cron, e.g. ``35 3 * * * cd /srv/ebok && .venv/bin/python manage.py purge_account_history``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import purge_account_history


class Command(BaseCommand):
    help = (
        "Delete registration, reset and failed-login attempts older than EBOK_ATTEMPT_DAYS and "
        "login history older than EBOK_LOGIN_HISTORY_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report how many would be deleted.")

    def handle(self, *args, dry_run: bool = False, **options):
        attempts, logins = purge_account_history(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {attempts} attempt(s) older than {settings.EBOK_ATTEMPT_DAYS} days and "
                    f"{logins} login record(s) older than {settings.EBOK_LOGIN_HISTORY_DAYS} days."
                )
            )
