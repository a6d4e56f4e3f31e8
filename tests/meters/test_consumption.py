import datetime as dt
from decimal import Decimal

from meters.models import Reading
from meters.selectors import closed_month, consumption, monthly_deltas
from tests import factories


def r(date, value):
    return Reading(date=date, value=Decimal(value))


def test_monthly_consumption_is_the_difference_of_consecutive_readings():
    deltas = monthly_deltas(
        [r(dt.date(2026, 1, 1), "100"), r(dt.date(2026, 2, 1), "130"), r(dt.date(2026, 3, 1), "150")]
    )
    assert deltas == {(2026, 1): Decimal(30), (2026, 2): Decimal(20)}


def test_a_reading_on_the_first_of_a_month_closes_the_month_before():
    assert closed_month(dt.date(2026, 12, 1)) == (2026, 11)
    assert closed_month(dt.date(2026, 1, 1)) == (2025, 12)
    assert closed_month(dt.date(2026, 12, 15)) == (2026, 12)
    deltas = monthly_deltas([r(dt.date(2025, 7, 1), "100"), r(dt.date(2025, 8, 1), "104")])
    assert deltas == {(2025, 7): Decimal(4)}


def test_a_reading_lower_than_the_one_before_gives_no_negative_consumption():
    deltas = monthly_deltas([r(dt.date(2026, 1, 1), "100"), r(dt.date(2026, 2, 1), "90"), r(dt.date(2026, 3, 1), "95")])
    assert deltas == {(2026, 1): Decimal(0), (2026, 2): Decimal(5)}


def test_a_meter_exchange_gives_neither_a_negative_nor_a_huge_jump(db, alice):
    point = factories.make_point(factories.make_contract(alice.customer))
    old = factories.make_meter(point, "OLD", removed_on=dt.date(2026, 3, 15))
    new = factories.make_meter(point, "NEW", installed_on=dt.date(2026, 3, 15))
    readings = {
        "OLD": [r(dt.date(2026, 1, 1), "5000"), r(dt.date(2026, 2, 1), "5040"), r(dt.date(2026, 3, 15), "5060")],
        "NEW": [r(dt.date(2026, 3, 15), "0"), r(dt.date(2026, 4, 1), "12")],
    }
    [series] = consumption([old, new], readings)
    assert series.year(2026)[:3] == [Decimal(40), None, Decimal(12)]


def test_heat_and_water_meters_at_one_point_are_separate_series(db, alice):
    point = factories.make_point(factories.make_contract(alice.customer))
    heat = factories.make_meter(point, "H")
    water = factories.make_meter(point, "W", kind="woda", unit="m3")
    readings = {"H": [r(dt.date(2026, 1, 1), "1"), r(dt.date(2026, 2, 1), "2")], "W": []}
    series = consumption([heat, water], readings)
    assert [(s.kind, s.unit) for s in series] == [("cieplo", "GJ"), ("woda", "m3")]


def test_the_use_over_a_gap_of_several_months_is_given_to_none_of_them():
    deltas = monthly_deltas(
        [r(dt.date(2026, 1, 1), "100"), r(dt.date(2026, 4, 1), "190"), r(dt.date(2026, 5, 1), "200")]
    )
    assert deltas == {(2026, 4): Decimal(10)}
