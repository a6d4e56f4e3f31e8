"""E-mail every login the new documents of its customers: `manage.py send_document_notices`.

`import_billing` runs this after each committed import; cron runs it as a safety net (e.g. hourly).
Idempotent: each document is announced once to each login (notices.models.DocumentNotice).
"""

from django.core.management.base import BaseCommand

from notices.services import send_document_notices


class Command(BaseCommand):
    help = "E-mail logins their customers' new documents (PDFs for e-invoice customers); idempotent."

    def handle(self, *args, verbosity: int, **options):
        queued = send_document_notices()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"new-document e-mails queued: {queued}"))
