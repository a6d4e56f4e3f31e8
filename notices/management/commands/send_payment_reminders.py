"""Remind logins of overdue documents: `manage.py send_payment_reminders [--dry-run]` (cron, daily).

Each login gets one e-mail listing the documents overdue by EBOK_REMINDER_OVERDUE_DAYS days or
more of every customer it has access to; a document is reminded to a login at most once per
EBOK_REMINDER_REPEAT_DAYS days; logins that turned reminders off in "Moje konto" get none.
The dry run lists one line per login and customer: login, customer, amount, documents.
"""

from django.core.management.base import BaseCommand

from billing.templatetags.ebok_format import pln
from notices.services import send_payment_reminders


class Command(BaseCommand):
    help = "E-mail payment reminders for overdue documents, one per login (daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")

    def handle(self, *args, dry_run: bool, verbosity: int, **options):
        reminders = send_payment_reminders(dry_run=dry_run)
        if verbosity >= 2 or dry_run:
            for r in reminders:
                for part in r.customers:
                    numbers = ", ".join(s.document.number for s in part.documents)
                    self.stdout.write(f"{r.user.get_username()}  {part.customer.number}  {pln(part.total)}  {numbers}")
        if dry_run:
            self.stdout.write(self.style.WARNING(f"dry run: {len(reminders)} reminders would be sent, none sent"))
        elif verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"payment reminders queued: {len(reminders)}"))
