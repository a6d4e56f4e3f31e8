"""Demo helper for `make run`: name a customer a newcomer can register with."""

from __future__ import annotations

import sys

from django.db import transaction

from billing.models import Customer, Document
from ebok.links import absolute_url


def registration_hint(*args, stdout=None, **kwargs) -> None:
    """Print one customer without an account and what registration asks for. Changes nothing."""
    out = stdout or sys.stdout
    customer = Customer.objects.filter(user__isnull=True).exclude(kind=Customer.Kind.TENANT).order_by("number").first()
    if customer is None:
        return
    invoice = (
        customer.documents.filter(kind__in=[Document.Kind.INVOICE, Document.Kind.CORRECTION])
        .order_by("-issue_date", "-number")
        .values_list("number", flat=True)
        .first()
    )
    if invoice:
        out.write(
            f"Demo registration: {absolute_url('accounts:register')}  customer number {customer.number}, "
            f"last invoice {invoice}; the set-password link appears in this console.\n"
        )


MANAGER = "zarzadca@example.pl"
MANAGER_PASSWORD = "Demo-eBOK-2026"  # noqa: S105 (a published demo login, never in production data)
# The property manager's customers: its own co-op (właściciel) and two residents' accounts.
MANAGER_CUSTOMERS = [("200401", "owner"), ("200201", "proxy"), ("200202", "viewer")]


def manager(*args, stdout=None, **kwargs) -> None:
    """A property manager's login reaching three demo customers in three roles (idempotent)."""
    from accounts.models import CustomerAccess, User

    out = stdout or sys.stdout
    customers = Customer.objects.in_bulk([number for number, _role in MANAGER_CUSTOMERS])
    if len(customers) < len(MANAGER_CUSTOMERS):
        return
    with transaction.atomic():
        user = User.objects.filter(username=MANAGER).first()
        if user is None:
            own = customers["200401"]
            user = User(username=MANAGER, email=MANAGER, customer=None if hasattr(own, "user") else own)
            user.set_password(MANAGER_PASSWORD)
            user.save()  # with its customer: its właściciel (accounts.signals)
        for number, role in MANAGER_CUSTOMERS:
            if role == "owner" or CustomerAccess.objects.active().filter(user=user, customer_id=number).exists():
                continue
            owner = User.objects.filter(customer_id=number).first()
            CustomerAccess.objects.create(
                user=user, customer_id=number, role=role, source=CustomerAccess.Source.INVITATION, granted_by=owner
            )
    out.write(
        f"Demo property manager: {MANAGER} / {MANAGER_PASSWORD}: 200401 (właściciel), 200201 (pełnomocnik), "
        f"200202 (podgląd); starts on Moi odbiorcy.\n"
    )
