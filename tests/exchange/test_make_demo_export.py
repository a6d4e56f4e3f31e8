"""manage.py make_demo_export: a consistent, deterministic demo export that the real import accepts."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from billing.models import Customer, Document, Payment
from billing.validators import is_valid_nip, is_valid_nrb
from meters.models import Meter, Reading

REFERENCE = "2026-11-24"


def make_export(folder: Path, *args: str) -> Path:
    call_command("make_demo_export", str(folder), "--reference-date", REFERENCE, *args, stdout=StringIO())
    return folder


def read(folder: Path, filename: str) -> list[dict[str, str]]:
    with (folder / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_it_is_the_same_every_time(tmp_path):
    first, second = make_export(tmp_path / "a"), make_export(tmp_path / "b")

    for path in sorted(first.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path.name


def test_it_has_the_customers_the_demo_needs(tmp_path):
    folder = make_export(tmp_path / "demo")
    customers = read(folder, "odbiorcy.csv")
    points_per_contract: dict[str, int] = {}
    for point in read(folder, "punkty.csv"):
        points_per_contract[point["nr_umowy"]] = points_per_contract.get(point["nr_umowy"], 0) + 1

    kinds = [c["typ"] for c in customers]
    assert kinds.count("firma") >= 2 and kinds.count("osoba") == 2 and kinds.count("lokator") == 3
    assert max(points_per_contract.values()) >= 3
    assert all(is_valid_nrb(c["rachunek"]) for c in customers)
    assert all(is_valid_nip(c["nip"]) for c in customers if c["nip"])


def test_it_imports_through_the_real_import_with_every_kind_of_record(tmp_path, db):
    call_command("import_billing", str(make_export(tmp_path / "demo")), stdout=StringIO())
    today = dt.date.fromisoformat(REFERENCE)

    documents = Document.objects.all()
    assert documents.filter(kind="faktura").count() >= 5 * 18
    assert documents.filter(kind="korekta", corrects__isnull=False).count() == 2
    assert documents.filter(kind="nota").exists()
    assert documents.filter(kind="rozliczenie", customer__kind="lokator").count() == 3 * 6
    assert documents.exclude(ksef_number="").filter(issue_date__gte=dt.date(2026, 2, 1)).exists()
    assert documents.order_by("issue_date").first().issue_date >= dt.date(2025, 6, 1)
    # Overdue: a document past its due date with no payment from the bakery after it.
    bakery_last = documents.filter(customer="200102", kind="faktura").latest("issue_date")
    assert bakery_last.due_date < today
    assert not Payment.objects.filter(customer="200102", date__gte=bakery_last.issue_date).exists()
    assert Meter.objects.filter(removed_on__isnull=False).count() == 1
    assert Meter.objects.filter(legalisation_until__lte=today + dt.timedelta(days=90)).count() == 1
    assert set(Reading.objects.values_list("source", flat=True)) == {"zdalny", "inkasent", "klient", "szacunek"}
    assert Customer.objects.get(pk="200101").other_documents.filter(kind="aneks").exists()


def test_the_next_month_export_holds_only_new_invoices_and_payments(tmp_path, db):
    call_command("import_billing", str(make_export(tmp_path / "demo")), stdout=StringIO())
    folder = make_export(tmp_path / "next", "--next-month")

    assert sorted(p.name for p in folder.glob("*.csv")) == ["faktury.csv", "wplaty.csv"]
    invoices = read(folder, "faktury.csv")
    assert invoices and all(row["data_wystawienia"] > REFERENCE for row in invoices)
    out = StringIO()
    call_command("import_billing", str(folder), stdout=out)
    assert f"faktury.csv: utworzono {len(invoices)}, zaktualizowano 0, bez zmian 0" in out.getvalue()


def test_it_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(Exception, match="not empty"):
        make_export(tmp_path)
