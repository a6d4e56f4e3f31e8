"""The next billing import books the online payment: matched, and the "w trakcie księgowania" note goes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from onlinepay.models import OnlinePayment
from tests.exchange.export_builder import ExportBuilder

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def import_export(django_capture_on_commit_callbacks):
    def run(builder: ExportBuilder) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_billing", str(builder.write()), stdout=StringIO(), stderr=StringIO())

    return run


@pytest.fixture
def paid(alice_client, payu, invoices):
    alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number, invoices[2].number]})
    payment = OnlinePayment.objects.get()
    order_id = payu.only_order()["orderId"]
    payu.set_status(order_id, "COMPLETED")
    assert payu.deliver_via(alice_client, payment, order_id) == 200
    return payment


def test_the_import_that_brings_the_payment_books_it_and_the_note_goes(alice_client, paid, tmp_path, import_export):
    assert "w trakcie księgowania" in alice_client.get(reverse("billing:payments")).content.decode()
    builder = ExportBuilder(tmp_path / "next")
    builder.payment("PAYU-1", "100001", data="2026-11-25", kwota="373,00", tytul=f"PayU {paid.reference} 100001")
    import_export(builder)
    paid.refresh_from_db()
    assert paid.booked_payment_id == "PAYU-1" and paid.booked_at is not None
    page = alice_client.get(reverse("billing:payments")).content.decode()
    assert "w trakcie księgowania" not in page
    assert page.count("zapłacony") >= 3  # the settlement now says so itself


def test_a_payment_of_another_amount_or_without_the_reference_is_not_matched(
    alice_client, paid, tmp_path, import_export
):
    builder = ExportBuilder(tmp_path / "next")
    builder.payment("B-1", "100001", data="2026-11-25", kwota="372,00", tytul=f"{paid.reference}")
    builder.payment("B-2", "100001", data="2026-11-25", kwota="373,00", tytul="przelew za ciepło")
    import_export(builder)
    paid.refresh_from_db()
    assert paid.booked_at is None


def test_a_title_naming_every_document_matches_without_the_reference(alice_client, paid, tmp_path, import_export):
    builder = ExportBuilder(tmp_path / "next")
    builder.payment("B-3", "100001", data="2026-11-25", kwota="373,00", tytul="FV/2026/09/000001 FV/2026/10/000001")
    import_export(builder)
    paid.refresh_from_db()
    assert paid.booked_payment_id == "B-3"


def test_a_dry_run_import_books_nothing(alice_client, paid, tmp_path, django_capture_on_commit_callbacks):
    builder = ExportBuilder(tmp_path / "next")
    builder.payment("PAYU-1", "100001", data="2026-11-25", kwota="373,00", tytul=paid.reference)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_billing", str(builder.write()), "--dry-run", stdout=StringIO(), stderr=StringIO())
    paid.refresh_from_db()
    assert paid.booked_at is None
