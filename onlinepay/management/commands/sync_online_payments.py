"""Ask PayU about the online payments still open (a notification lost on the way); for cron.

Only payments older than --minutes (default 5) are asked about, so a customer paying right now is
left to the notification. Each change is stored and audited like one a notification brings.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from onlinepay.services import sync_pending
from onlinepay.variants import PAYU, active_variant


class Command(BaseCommand):
    help = "Ask PayU about online payments left pending and store what it says (run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=5, help="only payments started at least this long ago")

    def handle(self, *args, minutes: int, **options):
        if active_variant() != PAYU:
            self.stdout.write("PayU is not configured: nothing to ask.")
            return
        asked, changed, failed = sync_pending(older_than=dt.timedelta(minutes=minutes))
        message = f"asked {asked}, changed {changed}, failed {failed}"
        self.stdout.write(self.style.WARNING(message) if failed else self.style.SUCCESS(message))
        if failed:
            # Non-zero for cron's mail: the gateway did not answer about some payments.
            raise SystemExit(1)
