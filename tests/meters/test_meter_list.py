import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import page_html
from tests.queries import queries_for_history_sizes

pytestmark = pytest.mark.usefixtures("today")

URL = reverse("meters:list")


def _meter(customer, **kw):
    point = factories.make_point(factories.make_contract(customer), "PO-1")
    return factories.make_meter(point, "SN-1", **kw)


def test_it_shows_meters_per_point_with_readings_and_legalisation(alice_client, alice):
    meter = _meter(alice.customer, legalisation_until=dt.date(2027, 1, 10))
    factories.make_reading(meter, dt.date(2026, 10, 1), "1234.5", source="inkasent")
    html = alice_client.get(URL).content.decode()
    for text in ["PO-1", "SN-1", "ciepłomierz", "GJ", "10.01.2027", "kończy się w ciągu 90 dni", "1\u00a0234,500"]:
        assert text in html
    assert "inkasent" in html


def test_it_draws_this_year_against_last_year_with_the_numbers_in_a_table(alice_client, alice):
    meter = _meter(alice.customer)
    for date, value in [("2025-01-01", "100"), ("2025-02-01", "150"), ("2026-01-01", "400"), ("2026-02-01", "430")]:
        factories.make_reading(meter, dt.date.fromisoformat(date), value)
    html = alice_client.get(URL).content.decode()
    assert 'role="img"' in html
    assert "<title>lut 2026: 30,000 GJ</title>" in html
    assert "<title>lut 2025: 50,000 GJ</title>" in html
    assert "Zużycie miesięczne" in html and "<caption>" in html
    assert "style=" not in html


def test_a_removed_meter_offers_no_self_reading(alice_client, alice):
    _meter(alice.customer, removed_on=dt.date(2025, 1, 1))
    html = alice_client.get(URL).content.decode()
    assert "zdemontowany" in html
    assert reverse("meters:self_reading", args=["SN-1"]) not in html


def test_it_never_shows_another_customers_meters(alice_client, alice, bob):
    factories.make_meter(factories.make_point(factories.make_contract(alice.customer), "PO-A"), "SN-ALICE")
    _meter(bob.customer)
    html = page_html(alice_client, URL)
    assert "SN-ALICE" in html and "SN-1" not in html


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big


def test_months_still_to_come_this_year_show_no_bar_and_a_dash(alice_client, alice):
    meter = _meter(alice.customer)
    factories.make_reading(meter, dt.date(2025, 11, 1), "100")
    factories.make_reading(meter, dt.date(2025, 12, 1), "120")
    html = alice_client.get(URL).content.decode()
    assert "<title>gru 2025: 20,000 GJ</title>" in html
    assert "<title>gru 2026:" not in html  # today is in November 2026


def test_it_links_a_meter_and_its_point_whose_keys_hold_a_slash(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer), "PO/1.a")
    factories.make_meter(point, "SN/2026/1")

    response = alice_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/liczniki/SN/2026/1/podaj-odczyt/"' in html and 'href="/punkty-odbioru/PO/1.a/"' in html
    assert alice_client.get("/liczniki/SN/2026/1/podaj-odczyt/").status_code == 200
    assert alice_client.get("/punkty-odbioru/PO/1.a/").status_code == 200
