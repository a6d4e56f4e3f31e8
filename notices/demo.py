"""Demo for `make run`: two customers already registered, so `make demo-next` shows both kinds of
new-document e-mail (with PDFs for the e-invoice one, a notice for the other)."""

from __future__ import annotations

import sys

from django.db import transaction

from accounts.models import ConsentEvent, User
from accounts.services import record_consent
from billing.models import Customer

PASSWORD = "Demo-eBOK-2026"  # noqa: S105 (a published demo login, never in production data)
# (customer number, e-mail, e-invoice consent)
ACCOUNTS = [
    ("200201", "anna.kowalska@example.pl", True),
    ("200202", "jan.wisniewski@example.pl", False),
]


def seed(*args, stdout=None, **kwargs) -> None:
    """Create the two demo logins if missing (idempotent) and print them."""
    out = stdout or sys.stdout
    customers = Customer.objects.in_bulk([number for number, _email, _e in ACCOUNTS])
    for number, email, e_invoices in ACCOUNTS:
        customer = customers.get(number)
        if customer is None:
            continue
        with transaction.atomic():
            if not User.objects.filter(customer=customer).exists():
                user = User(username=number, email=email, customer=customer, status=User.Status.ACTIVE)
                user.set_password(PASSWORD)
                user.save()
                for kind, given in (
                    (ConsentEvent.Kind.TERMS, True),
                    (ConsentEvent.Kind.DATA, True),
                    (ConsentEvent.Kind.E_INVOICE, e_invoices),
                ):
                    record_consent(customer=customer, kind=kind, given=given, source=ConsentEvent.Source.REGISTRATION)
        out.write(
            f"Demo login: {number} / {PASSWORD} ({'e-invoices' if e_invoices else 'paper invoices'}); "
            f"`make demo-next` e-mails it the next month's documents.\n"
        )
