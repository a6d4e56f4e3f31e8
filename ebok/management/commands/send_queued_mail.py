"""Send every queued e-mail that is due.

The db_worker delivers mail as it is queued; this sweeper is the safety net for cron
(every few minutes) and for a deployment without a worker: it sends whatever is still
pending, e.g. after an SMTP outage or a lost task.
"""

from django.core.management.base import BaseCommand

from ebok.mail import deliver_due


class Command(BaseCommand):
    help = "Send every queued e-mail that is due (safety net for the mail worker)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, limit=None, **options):
        sent, failed = deliver_due(limit)
        self.stdout.write(f"sent: {sent}, failed (will retry): {failed}")
