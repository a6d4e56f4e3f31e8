"""manage.py load_demo: the demo export through the real import, once; then the seeders."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from billing.models import Customer, Document

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_once_and_runs_the_seeders_each_time():
    from cases.models import Case
    from heat.models import HeatRequest

    first = StringIO()
    call_command("load_demo", "--reference-date", "2026-11-24", stdout=first)
    documents = Document.objects.count()
    cases = Case.objects.count()
    assert cases > 0  # the cases app's seeder ran
    HeatRequest.objects.all().delete()  # a request's case is deleted only with its request
    Case.objects.all().delete()
    second = StringIO()
    call_command("load_demo", "--reference-date", "2026-11-24", stdout=second)

    assert Customer.objects.count() == 8
    assert "odbiorcy.csv: utworzono 8" in first.getvalue()
    assert "already loaded" in second.getvalue()
    assert Document.objects.count() == documents
    assert Case.objects.count() == cases  # seeded again although nothing was imported


def test_it_prints_what_each_demo_customer_registers_with():
    out = StringIO()
    call_command("load_demo", "--reference-date", "2026-11-24", stdout=out)

    assert "200101  firma" in out.getvalue()
    assert "FV/2026/11/00360" in out.getvalue()
    assert "200301  lokator" in out.getvalue() and "zł (RO/2026/10/00977)" in out.getvalue()


def test_no_demo_document_number_names_its_customer():
    # Knowing a customer number must not give away the invoice number registration asks for.
    import datetime as dt

    from exchange.demo import HEADERS, build_export

    export = build_export(dt.date(2026, 11, 24))
    rows = [dict(zip(HEADERS["faktury.csv"], row, strict=True)) for row in export.rows["faktury.csv"]]
    assert rows
    for row in rows:
        assert row["nr_odbiorcy"] not in row["nr_dokumentu"], row["nr_dokumentu"]
    assert len({row["nr_dokumentu"] for row in rows}) == len(rows)
