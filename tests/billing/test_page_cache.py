"""Every change to billing data shows on the next view of a cached page (ebok.pagecache)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Contract, Customer, DeliveryPoint, Document, OtherDocument, Payment
from tests import factories
from tests.exchange.export_builder import ExportBuilder
from tests.pagecache import changes_version, generation, page, warm

pytestmark = pytest.mark.usefixtures("today")
NBSP = "\u00a0"
START, PAYMENTS, DOCUMENTS = reverse("start"), reverse("billing:payments"), reverse("billing:documents")


def test_a_new_invoice_shows_on_every_page_that_lists_it(alice_client, alice):
    for url in (START, PAYMENTS, DOCUMENTS):
        warm(alice_client, url)
    factories.make_document(alice.customer, "FV/NOWA", gross="321.00", pdf=factories.write_pdf("pdf/nowa.pdf"))
    for url in (START, PAYMENTS, DOCUMENTS):
        html, state = page(alice_client, url)
        assert state == "miss" and "FV/NOWA" in html, url


def test_a_payment_changes_the_balance(alice_client, alice):
    factories.make_document(alice.customer, "FV/1", gross="100.00")
    assert f"100,00{NBSP}zł" in warm(alice_client, START).content.decode()
    factories.make_payment(alice.customer, "100.00")
    html, _state = page(alice_client, START)
    assert "Nie masz zaległości." in html


def test_a_deleted_document_disappears(alice_client, alice):
    document = factories.make_document(alice.customer, "FV/USUNIETA")
    assert "FV/USUNIETA" in warm(alice_client, PAYMENTS).content.decode()
    document.delete()
    assert "FV/USUNIETA" not in page(alice_client, PAYMENTS)[0]


def test_a_document_moved_to_another_customer_leaves_the_first_ones_pages(alice_client, alice, bob):
    document = factories.make_document(alice.customer, "FV/POMYLKA")
    assert "FV/POMYLKA" in warm(alice_client, PAYMENTS).content.decode()
    bob_client = Client()
    bob_client.force_login(bob)
    assert "FV/POMYLKA" not in warm(bob_client, PAYMENTS).content.decode()
    document.customer = bob.customer  # a staff correction in the admin
    document.save()
    assert "FV/POMYLKA" not in page(alice_client, PAYMENTS)[0]
    assert "FV/POMYLKA" in page(bob_client, PAYMENTS)[0]


def test_a_changed_bank_account_shows_in_the_transfer_data(alice_client, alice):
    warm(alice_client, PAYMENTS)
    customer = alice.customer
    customer.bank_account = factories.nrb(424242)
    customer.save()
    assert "4242" in page(alice_client, PAYMENTS)[0].replace(" ", "")


def test_contracts_points_and_letters_show_their_changes(alice_client, alice):
    contract = factories.make_contract(alice.customer, "UM/1")
    point = factories.make_point(contract, "PO-1", street="Stara 1")
    urls = (reverse("billing:contracts"), reverse("billing:points"), reverse("billing:point", args=["PO-1"]))
    for url in urls:
        warm(alice_client, url)
    point.street = "Nowa 2"
    point.save()
    for url in urls:
        assert "Nowa 2" in page(alice_client, url)[0], url
    contract.valid_until = dt.date(2030, 12, 31)
    contract.save()
    assert "31.12.2030" in page(alice_client, urls[0])[0]
    warm(alice_client, DOCUMENTS)
    factories.make_other_document(alice.customer, title="Zmiana taryfy", pdf=factories.write_pdf("pdf/t.pdf"))
    assert "Zmiana taryfy" in page(alice_client, DOCUMENTS)[0]


def test_a_committed_import_shows_on_every_customers_pages(db, tmp_path, django_capture_on_commit_callbacks, client):
    first = ExportBuilder(tmp_path / "first")
    first.full_customer("100001")
    call_command("import_billing", str(first.write()), stdout=StringIO(), stderr=StringIO())
    user = factories.make_user(Customer.objects.get(pk="100001"))
    client.force_login(user)
    warm(client, PAYMENTS)
    delta = ExportBuilder(tmp_path / "delta")
    delta.invoice(
        "FV/Z/IMPORTU", "100001", data_wystawienia="2026-11-05", termin_platnosci="2026-11-19",
        netto="200,00", vat="46,00", brutto="246,00",
    )  # fmt: skip
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_billing", str(delta.write()), stdout=StringIO(), stderr=StringIO())
    assert generation() != before
    html, state = page(client, PAYMENTS)
    assert state == "miss" and "FV/Z/IMPORTU" in html


def test_a_dry_run_import_changes_no_version(tmp_path, django_capture_on_commit_callbacks, alice):
    export = ExportBuilder(tmp_path / "export")
    export.full_customer("100009")
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_billing", str(export.write()), "--dry-run", stdout=StringIO(), stderr=StringIO())
    assert generation() == before


def test_saving_or_deleting_any_billing_row_bumps_its_customer_only(transactional_db):
    alice, bob = factories.make_customer("100001"), factories.make_customer("100002")
    contract = factories.make_contract(bob)

    def make(model):
        return {
            Contract: lambda: factories.make_contract(alice),
            DeliveryPoint: lambda: factories.make_point(factories.make_contract(alice)),
            Document: lambda: factories.make_document(alice),
            OtherDocument: lambda: factories.make_other_document(alice),
            Payment: lambda: factories.make_payment(alice),
        }[model]()

    for model in (Contract, DeliveryPoint, Document, OtherDocument, Payment):
        assert changes_version(alice, lambda model=model: make(model)), model
        row = model.objects.filter(customer=alice).first()
        assert changes_version(alice, row.save), model
        assert changes_version(alice, row.delete), model
    assert changes_version(alice, alice.save)
    assert changes_version(bob, lambda: factories.make_point(contract))


def test_deleting_a_customer_bumps_once_not_once_per_row(db):
    def delete_and_count(months: int) -> int:
        customer = factories.make_customer()
        factories.make_user(customer)
        factories.make_history(customer, months)
        with CaptureQueriesContext(connection) as queries:
            customer.delete()
        return len(queries)

    assert delete_and_count(2) == delete_and_count(24)
