"""manage.py load_demo: the demo export through the real import, once; then the seeders."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from billing.models import Customer, Document

pytestmark = pytest.mark.django_db
SEEDED: list[str] = []


def record_seeding() -> None:
    SEEDED.append("seeded")


def test_it_loads_the_demo_once_and_runs_the_seeders_each_time(settings):
    settings.EBOK_DEMO_SEEDERS = ["tests.exchange.test_load_demo.record_seeding"]
    SEEDED.clear()

    first = StringIO()
    call_command("load_demo", "--reference-date", "2026-11-24", stdout=first)
    documents = Document.objects.count()
    second = StringIO()
    call_command("load_demo", "--reference-date", "2026-11-24", stdout=second)

    assert Customer.objects.count() == 8
    assert "odbiorcy.csv: utworzono 8" in first.getvalue()
    assert "already loaded" in second.getvalue()
    assert Document.objects.count() == documents
    assert SEEDED == ["seeded", "seeded"]


def test_it_prints_what_each_demo_customer_registers_with():
    out = StringIO()
    call_command("load_demo", "--reference-date", "2026-11-24", stdout=out)

    assert "200101  firma" in out.getvalue()
    assert "FV/2026/11/200101" in out.getvalue()
    assert "200301  lokator" in out.getvalue() and "zł (RO/2026/10/200301)" in out.getvalue()
