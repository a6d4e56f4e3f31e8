"""Erase the bodies of old e-mails in the outbox.

A sent message's text may hold personal data (amounts, document numbers); after
settings.EBOK_MAIL_BODY_DAYS days only its metadata stays (template, recipient, subject, state,
times), enough to answer "did you send it". Bodies with a live link are erased as soon as they are
sent (ebok.mail); this catches the rest. Run daily from cron (docs/deployment.md).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from ebok.mail import purge_bodies


class Command(BaseCommand):
    help = "Erase the bodies of e-mails sent more than EBOK_MAIL_BODY_DAYS days ago (metadata stays)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the messages.")

    def handle(self, *args, dry_run: bool = False, **options):
        days = settings.EBOK_MAIL_BODY_DAYS
        count = purge_bodies(days, dry_run=dry_run)
        if options["verbosity"] >= 1:
            verb = "Would erase" if dry_run else "Erased"
            self.stdout.write(self.style.SUCCESS(f"{verb} the bodies of {count} e-mail(s) older than {days} days."))
