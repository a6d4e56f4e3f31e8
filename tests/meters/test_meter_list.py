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
    assert "<title>sty 2026: 30,000 GJ</title>" in html
    assert "<title>sty 2025: 50,000 GJ</title>" in html
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
    factories.make_reading(meter, dt.date(2025, 12, 1), "100")
    factories.make_reading(meter, dt.date(2026, 1, 1), "120")
    html = alice_client.get(URL).content.decode()
    assert "<title>gru 2025: 20,000 GJ</title>" in html
    assert "<title>gru 2026:" not in html  # today is in November 2026


def test_the_reading_of_the_first_of_december_is_novembers_use(alice_client, alice):
    meter = _meter(alice.customer)
    factories.make_reading(meter, dt.date(2026, 11, 1), "100")
    factories.make_reading(meter, dt.date(2026, 12, 1), "130")
    html = alice_client.get(URL).content.decode()
    assert "<title>lis 2026: 30,000 GJ</title>" in html
    assert "odczyt z 1 grudnia to zużycie w listopadzie" in html


def test_a_month_without_readings_shows_a_dash_and_no_bar_and_totals_compare_like_with_like(alice_client, alice):
    meter = _meter(alice.customer)
    # 2025: January to March read; 2026: only February and March.
    for date, value in [
        ("2025-01-01", "0"),
        ("2025-02-01", "50"),
        ("2025-03-01", "90"),
        ("2025-04-01", "120"),
        ("2026-02-01", "400"),
        ("2026-03-01", "420"),
        ("2026-04-01", "445"),
    ]:
        factories.make_reading(meter, dt.date.fromisoformat(date), value)
    html = alice_client.get(URL).content.decode()
    assert "<title>sty 2025: 50,000 GJ</title>" in html
    assert "<title>sty 2026:" not in html and "<title>maj 2025:" not in html
    assert '<tr><th scope="row">sty</th><td class="num">50,000</td><td class="num">—</td></tr>' in html
    assert '<tr><th scope="row">maj</th><td class="num">—</td><td class="num">—</td></tr>' in html
    # Razem: February and March of both years only (40 + 30 against 20 + 25), not January's 50.
    assert '<td class="num">70,000</td><td class="num">45,000</td></tr></tfoot>' in html
    assert "tylko miesiące, dla których są odczyty w obu latach" in html


def test_each_point_folds_open_with_the_latest_reading_and_podaj_odczyt_on_top(alice_client, alice):
    meter = _meter(alice.customer)
    factories.make_reading(meter, dt.date(2026, 10, 1), "1200")
    factories.make_reading(meter, dt.date(2026, 11, 1), "1234.5")
    html = alice_client.get(URL).content.decode()
    top, folded = html.split('<details class="point-details">')
    assert "ostatni odczyt 1\u00a0234,500 GJ z 01.11.2026" in top
    assert reverse("meters:self_reading", args=["SN-1"]) in top
    assert reverse("meters:self_reading", args=["SN-1"]) not in folded
    assert "<summary>Odczyty, zużycie i dane liczników w punkcie PO-1</summary>" in folded
    assert "<caption>Odczyty licznika SN-1" in folded


def test_the_chart_has_values_on_its_axis(alice_client, alice):
    meter = _meter(alice.customer)
    for date, value in [("2026-01-01", "0"), ("2026-02-01", "50"), ("2026-03-01", "80")]:
        factories.make_reading(meter, dt.date.fromisoformat(date), value)
    html = alice_client.get(URL).content.decode()
    ticks = [t.split(">")[1] for t in html.split('<text class="tick"')[1:]]
    assert [t.removesuffix("</text") for t in ticks] == ["0", "20", "40", "60", "GJ"]


def test_water_is_written_in_cubic_metres_one_way(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer), "PO-1")
    water = factories.make_meter(point, "W-1", kind="woda", unit="m3")
    factories.make_reading(water, dt.date(2026, 10, 1), "10")
    factories.make_reading(water, dt.date(2026, 11, 1), "12")
    html = alice_client.get(URL).content.decode()
    assert "m3" not in html.replace("W-1", "")
    assert "Zużycie miesięczne (wodomierz, m³)" in html and "<title>paź 2026: 2,000 m³</title>" in html


def test_it_links_a_meter_and_its_point_whose_keys_hold_a_slash(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer), "PO/1.a")
    factories.make_meter(point, "SN/2026/1")

    response = alice_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/liczniki/SN/2026/1/podaj-odczyt/"' in html and 'href="/punkty-odbioru/PO/1.a/"' in html
    assert alice_client.get("/liczniki/SN/2026/1/podaj-odczyt/").status_code == 200
    assert alice_client.get("/punkty-odbioru/PO/1.a/").status_code == 200
