"""Remind customers of overdue documents: `manage.py send_payment_reminders [--dry-run]` (cron, daily).

A document overdue by EBOK_REMINDER_OVERDUE_DAYS days or more is reminded at most once per
EBOK_REMINDER_REPEAT_DAYS days; customers who turned reminders off in "Moje konto" get none.
"""

from django.core.management.base import BaseCommand

from billing.templatetags.ebok_format import pln
from notices.services import send_payment_reminders


class Command(BaseCommand):
    help = "E-mail payment reminders for overdue documents (daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")

    def handle(self, *args, dry_run: bool, verbosity: int, **options):
        reminders = send_payment_reminders(dry_run=dry_run)
        if verbosity >= 2 or dry_run:
            for r in reminders:
                numbers = ", ".join(s.document.number for s in r.documents)
                self.stdout.write(f"{r.customer.number}  {pln(r.total)}  {numbers}")
        if dry_run:
            self.stdout.write(self.style.WARNING(f"dry run: {len(reminders)} reminders would be sent, none sent"))
        elif verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"payment reminders queued: {len(reminders)}"))
