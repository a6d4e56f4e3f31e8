"""manage.py export_consents: the consent history as a ';' CSV for the billing system."""

from __future__ import annotations

import csv
import datetime as dt
import io
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import ConsentEvent
from accounts.services import record_consent

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def export(*args: str) -> list[dict[str, str]]:
    out = StringIO()
    call_command("export_consents", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";"))


def at(customer, kind: str, given: bool, when: dt.datetime, version: str = "2026-11") -> None:
    ConsentEvent.objects.create(
        customer=customer, kind=kind, given=given, at=when, document_version=version, source="moje-konto"
    )


def test_it_lists_consents_given_and_withdrawn_since_the_date(alice, bob):
    at(alice.customer, "e-faktury", True, dt.datetime(2026, 11, 19, 23, 59, tzinfo=WARSAW))  # before: left out
    at(alice.customer, "e-faktury", False, dt.datetime(2026, 11, 20, 0, 0, tzinfo=WARSAW))
    at(bob.customer, "e-faktury", True, dt.datetime(2026, 11, 21, 9, 30, 15, tzinfo=WARSAW), version="2026-12")
    rows = export("--since", "2026-11-20")
    assert rows == [
        {
            "nr_odbiorcy": "100001",
            "rodzaj_zgody": "e-faktury",
            "stan": "wycofana",
            "data": "2026-11-20T00:00:00+01:00",
            "wersja_regulaminu": "2026-11",
        },
        {
            "nr_odbiorcy": "100002",
            "rodzaj_zgody": "e-faktury",
            "stan": "udzielona",
            "data": "2026-11-21T09:30:15+01:00",
            "wersja_regulaminu": "2026-12",
        },
    ]


def test_it_lists_the_consents_given_at_registration_with_the_terms_version(alice, settings):
    for kind in ("regulamin", "dane", "e-faktury"):
        record_consent(customer=alice.customer, kind=kind, given=True, source="rejestracja")
    rows = export("--since", dt.date.today().isoformat())
    assert [(r["rodzaj_zgody"], r["stan"]) for r in rows] == [
        ("regulamin", "udzielona"),
        ("dane", "udzielona"),
        ("e-faktury", "udzielona"),
    ]
    e_invoices = rows[2]
    assert e_invoices["wersja_regulaminu"] == settings.EBOK_TERMS_VERSION
    assert dt.datetime.fromisoformat(e_invoices["data"]).tzinfo is not None


def test_the_header_is_written_even_with_nothing_to_export(db):
    out = StringIO()
    call_command("export_consents", "--since", "2026-11-01", stdout=out)
    assert out.getvalue() == "nr_odbiorcy;rodzaj_zgody;stan;data;wersja_regulaminu\n"


def test_it_writes_a_utf8_file_with_output(alice, tmp_path):
    record_consent(customer=alice.customer, kind="e-faktury", given=True, source="rejestracja")
    target = tmp_path / "zgody.csv"
    out = StringIO()
    call_command("export_consents", "--since", "2026-01-01", "--output", str(target), stdout=out)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "nr_odbiorcy;rodzaj_zgody;stan;data;wersja_regulaminu"
    assert lines[1].startswith("100001;e-faktury;udzielona;")
    assert "1 consent rows written" in out.getvalue()


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_consents", "--since", "20.11.2026", stdout=StringIO())
