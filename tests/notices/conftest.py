"""Helpers for the notices: exports with new documents, and customers who chose e-invoices or not."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.services import record_consent
from tests import factories
from tests.billing.export_builder import ExportBuilder


def with_e_invoices(user, given: bool = True):
    record_consent(customer=user.customer, kind="e-faktury", given=given, source="rejestracja")
    return user


@pytest.fixture
def import_export(django_capture_on_commit_callbacks):
    """Run `import_billing` on a folder and let its after-commit work run, as outside a test."""

    def run(folder: Path) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_billing", str(folder), stdout=out, stderr=StringIO())
        return out.getvalue()

    return run


@pytest.fixture
def first_export(tmp_path) -> ExportBuilder:
    """Three customers with their history; alice (100001) and bob (100002) register after it."""
    builder = ExportBuilder(tmp_path / "first")
    for number in ("100001", "100002", "100003"):
        builder.full_customer(number)
    return builder


def next_month(tmp_path, name: str = "second") -> ExportBuilder:
    """A delta export: one new invoice for each of the three customers, a letter for 100001."""
    builder = ExportBuilder(tmp_path / name)
    for number in ("100001", "100002", "100003"):
        builder.invoice(
            f"FV/{number}/2",
            number,
            data_wystawienia="2026-11-05",
            termin_platnosci="2026-11-19",
            netto="200,00",
            vat="46,00",
            brutto="246,00",
        )
    builder.other_document("PISMO-100001", "100001", rodzaj="pismo", tytul="Zmiana taryfy", data="2026-11-06")
    return builder


@pytest.fixture
def registered(first_export, import_export):
    """After the first import: alice with e-invoices, bob without, 100003 with no account."""
    import_export(first_export.write())
    from billing.models import Customer

    alice = with_e_invoices(factories.make_user(Customer.objects.get(pk="100001"), email="alice@example.pl"))
    bob = with_e_invoices(factories.make_user(Customer.objects.get(pk="100002"), email="bob@example.pl"), False)
    return alice, bob
