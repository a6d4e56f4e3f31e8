import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meters.models import SelfReading
from tests import factories


@pytest.fixture
def meter(alice):
    return factories.make_meter(factories.make_point(factories.make_contract(alice.customer)), "SN-1")


def submit(meter, value, status, decided_on, day):
    return SelfReading.objects.create(
        customer_id=meter.customer_id,
        meter=meter,
        value=Decimal(value),
        reading_date=day,
        status=status,
        decided_at=timezone.make_aware(dt.datetime.combine(decided_on, dt.time(12))) if decided_on else None,
    )


def export(since: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("export_self_readings", "--since", since, stdout=out, stderr=io.StringIO())
    return list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))


def test_it_writes_accepted_readings_since_the_date_in_the_billing_format(meter):
    submit(meter, "1234.5", "accepted", dt.date(2026, 11, 20), dt.date(2026, 11, 19))
    submit(meter, "999", "accepted", dt.date(2026, 10, 1), dt.date(2026, 9, 30))
    submit(meter, "1300", "rejected", dt.date(2026, 11, 21), dt.date(2026, 11, 21))
    rows = export("2026-11-01")
    assert rows == [["nr_fabryczny", "data", "wskazanie", "zrodlo"], ["SN-1", "2026-11-19", "1234,500", "klient"]]


def test_it_writes_a_file_when_asked(meter, tmp_path):
    submit(meter, "10", "accepted", dt.date(2026, 11, 20), dt.date(2026, 11, 20))
    target = tmp_path / "odczyty.csv"
    call_command("export_self_readings", "--since", "2026-11-01", "--output", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8").splitlines() == [
        "nr_fabryczny;data;wskazanie;zrodlo",
        "SN-1;2026-11-20;10,000;klient",
    ]


def test_a_malformed_date_is_refused():
    with pytest.raises(CommandError):
        call_command("export_self_readings", "--since", "24.11.2026")


def test_its_query_count_does_not_grow_with_the_rows(meter):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            export("2026-01-01")
        return len(ctx)

    submit(meter, "1", "accepted", dt.date(2026, 2, 1), dt.date(2026, 2, 1))
    few = queries()
    for day in range(2, 28):
        submit(meter, str(day), "accepted", dt.date(2026, 2, day), dt.date(2026, 2, day))
    assert queries() == few
