"""The steps of bench/mail_month.py that need Django, against the bench database.

`accounts PERCENT`: an active account for every customer (e-mail k<number>@bench.example.pl,
no usable password), joined now, so the history already imported is not news; PERCENT of them
(every customer whose index modulo 100 is below it) with the e-invoice consent.
`import FOLDER`: `import_billing FOLDER` with the notices' listener disconnected, so the import's
time is the import's only (in production the import runs the notices itself, through
billing.signals.import_committed; the bench runs `send_document_notices` next, timed on its own).
`spool OUT EVERY`: the bytes of every EVERY-th sent outbox message (by id: the same mix of
e-invoices with a PDF and notices without), built as the worker builds them, for the ceiling
(bench/smtp_ceiling.py): "<size> <from> <to,…>\\n" then the bytes, per message.
`status`: the outbox rows per status, and e-mails per template, as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ebok.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail import get_connection  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import ConsentEvent, CustomerAccess, User  # noqa: E402
from billing.models import Customer  # noqa: E402
from billing.signals import import_committed  # noqa: E402
from ebok import mail  # noqa: E402
from ebok.models import OutboundEmail  # noqa: E402

OWNER, REGISTRATION = CustomerAccess.Role.OWNER, CustomerAccess.Source.REGISTRATION

CHUNK = 5000


def accounts(percent: int) -> None:
    numbers = list(Customer.objects.order_by("number").values_list("number", flat=True))
    now = timezone.now()
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(username=n, customer_id=n, email=f"k{n}@bench.example.pl", password="!", date_joined=now)  # noqa: S106 (unusable)
                    for n in chunk
                ]
            )
            # bulk_create sends no post_save: each login its customer's właściciel, as registration makes it.
            CustomerAccess.objects.bulk_create(
                [CustomerAccess(user=u, customer_id=u.customer_id, role=OWNER, source=REGISTRATION) for u in users]
            )
            ConsentEvent.objects.bulk_create(
                [
                    ConsentEvent(
                        customer_id=n, kind=ConsentEvent.Kind.E_INVOICE, given=True, at=now, source="rejestracja"
                    )
                    for index, n in enumerate(chunk, start)
                    if index % 100 < percent
                ]
            )
    print(json.dumps({"accounts": len(numbers)}))


def import_delta(folder: str) -> None:
    import_committed.disconnect(dispatch_uid="notices.announce_new_documents")
    call_command("import_billing", folder, verbosity=0)


def spool(out: str, every: int) -> None:
    """The messages as the worker sends them (ebok's SMTP backend: signed when DKIM is configured)."""
    backend = get_connection()
    sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).order_by("pk")
    sender = settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">")
    count = 0
    with open(out, "wb") as f:
        for index, email in enumerate(sent.iterator(chunk_size=500)):
            if index % every:
                continue
            data = backend.message_bytes(mail.build_message(email))  # the worker's own builder and bytes
            f.write(f"{len(data)} {sender} {','.join(email.to)}\n".encode())
            f.write(data)
            count += 1
    print(json.dumps({"spooled": count}))


def status() -> None:
    rows = OutboundEmail.objects.order_by().values_list("status").annotate(n=Count("pk"))
    templates = OutboundEmail.objects.order_by().values_list("template").annotate(n=Count("pk"))
    with_pdf = OutboundEmail.objects.exclude(attachments=[]).count()
    print(json.dumps({"status": dict(rows), "templates": dict(templates), "with_attachments": with_pdf}))


STEPS = {
    "accounts": lambda args: accounts(int(args[0])),
    "import": lambda args: import_delta(args[0]),
    "spool": lambda args: spool(args[0], int(args[1])),
    "status": lambda args: status(),
}

if __name__ == "__main__":
    STEPS[sys.argv[1]](sys.argv[2:])
