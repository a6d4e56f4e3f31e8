"""Demo helper for `make run`: name a customer a newcomer can register with."""

from __future__ import annotations

import sys

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
