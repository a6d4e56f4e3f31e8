"""`manage.py export_requests --since DATE`: accepted requests as CSV (docs/requests-export.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heat import services
from heat.management.commands.export_requests import COLUMNS
from heat.models import HeatRequest, Kind
from tests import factories
from tests.heat.factories import file_heating_start

pytestmark = pytest.mark.usefixtures("today")


def _export(since="2026-11-24", **kw) -> list[dict]:
    out = io.StringIO()
    call_command("export_requests", "--since", since, stdout=out, **kw)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _accept(req, staff):
    services.request_set_status(heat_request=req, status=HeatRequest.Status.ACCEPTED, staff_user=staff)


def test_it_writes_one_row_per_point_of_each_accepted_request(alice, alice_points, staff):
    at = timezone.make_aware(dt.datetime(2026, 11, 25, 6, 0))
    req = file_heating_start(alice.customer, alice_points[:2], at=at)
    file_heating_start(alice.customer, alice_points[:1])  # filed, not accepted: not exported
    _accept(req, staff)
    rows = _export()
    assert list(rows[0]) == COLUMNS
    assert [(r["sprawa"], r["punkt"], r["wezel"]) for r in rows] == [
        (req.case.number, "PO-A1", "W-100"),
        (req.case.number, "PO-A2", "W-100"),
    ]
    assert rows[0]["rodzaj"] == "wlaczenie-co" and rows[0]["status"] == "przyjety"
    assert rows[0]["odbiorca"] == "100001"
    assert rows[0]["od"] == "2026-11-25T06:00+01:00"
    assert rows[0]["termin"] == "2026-11-25T14:00+01:00"


def test_a_power_change_carries_both_values_and_its_date(alice, alice_points, staff):
    req = services.request_file(
        customer=alice.customer,
        author=alice,
        kind=Kind.POWER,
        points=alice_points[:1],
        effective_from=dt.date(2027, 10, 1),
        data={"current_mw": "0.250", "new_mw": "0.300"},
    )
    _accept(req, staff)
    (row,) = _export()
    assert (row["moc_obecna_mw"], row["moc_nowa_mw"], row["od"], row["szczegoly"]) == (
        "0.250",
        "0.300",
        "2027-10-01",
        "",
    )


def test_a_complaint_is_one_row_with_its_document_and_details(alice, staff):
    document = factories.make_document(alice.customer, "FV/2026/11/000777")
    req = services.request_file(
        customer=alice.customer,
        author=alice,
        kind=Kind.COMPLAINT,
        document=document,
        data={"reason": "odczyt", "description": "Zły odczyt"},
    )
    _accept(req, staff)
    (row,) = _export()
    assert row["dokument"] == "FV/2026/11/000777" and row["punkt"] == ""
    assert row["szczegoly"] == '{"description": "Zły odczyt", "reason": "odczyt"}'


def test_since_is_the_day_of_acceptance_and_rejected_requests_are_left_out(alice, alice_points, staff):
    old = file_heating_start(alice.customer, alice_points[:1])
    _accept(old, staff)
    HeatRequest.objects.filter(pk=old.pk).update(accepted_at=timezone.now() - dt.timedelta(days=2))
    rejected = file_heating_start(alice.customer, alice_points[:1])
    _accept(rejected, staff)
    services.request_set_status(heat_request=rejected, status="odrzucony", staff_user=staff, reason="Brak węzła")
    assert _export("2026-11-24") == []
    assert [r["sprawa"] for r in _export("2026-11-22")] == [old.case.number]


def test_it_writes_a_file(alice, alice_points, staff, tmp_path):
    _accept(file_heating_start(alice.customer, alice_points[:1]), staff)
    target = tmp_path / "dyspozycje.csv"
    call_command("export_requests", "--since", "2026-11-24", "--output", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


def test_a_bad_date_is_a_clear_error(db):
    with pytest.raises(CommandError, match="--since must be a date"):
        _export("24.11.2026")


def test_the_number_of_queries_does_not_grow_with_the_rows(alice, alice_points, staff):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _export()
        return len(ctx)

    _accept(file_heating_start(alice.customer, alice_points[:2]), staff)
    few = queries()
    for _ in range(5):
        _accept(file_heating_start(alice.customer, alice_points[:2]), staff)
    assert len(_export()) == 12
    assert queries() == few == 2
