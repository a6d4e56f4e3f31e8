"""From a point's page to the requests, with that point chosen in each form that has points."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from heat.models import Kind

pytestmark = pytest.mark.usefixtures("today")


def _checked(page: str, name: str) -> list[str]:
    """The values of the checked (or selected) inputs/options of field ``name``."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    ticked = [re.search(r'value="([^"]*)"', i).group(1) for i in inputs if " checked" in i]
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select:
        ticked += re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return ticked


def test_the_point_page_links_to_filing_a_request_for_that_point(alice_client, alice_points):
    page = alice_client.get("/punkty-odbioru/PO-A1/").content.decode()
    assert '<a href="/dyspozycje/?punkt=PO-A1">Złóż dyspozycję</a>' in page


def test_a_login_that_may_not_act_sees_no_link(alice, alice_points):
    request = RequestFactory().get("/punkty-odbioru/PO-A1/")
    request.user = alice
    request.customer = alice.customer
    request.access = SimpleNamespace(act=False, view=True, manage=False)
    page = render_to_string("billing/point.html", {"point": alice_points[0], "meters": []}, request=request)
    assert "Złóż dyspozycję" not in page and "Punkt odbioru" in page
    request.access = SimpleNamespace(act=True, view=True, manage=False)
    page = render_to_string("billing/point.html", {"point": alice_points[0], "meters": []}, request=request)
    assert "/dyspozycje/?punkt=PO-A1" in page


def test_the_requests_page_carries_the_point_to_every_form(alice_client, alice_points):
    page = alice_client.get("/dyspozycje/", {"punkt": "PO-A2"}).content.decode()
    assert f'href="/dyspozycje/{Kind.HEATING_START}/?punkt=PO-A2"' in page
    assert f'href="/dyspozycje/{Kind.POWER}/?punkt=PO-A2"' in page
    assert "Dla punktu odbioru PO-A2" in page


def test_another_customers_point_is_ignored_as_if_it_did_not_exist(alice_client, alice_points, bob_point):
    for code in ("PO-B1", "PO-NIE-MA"):  # bob's point and no point at all look the same
        page = alice_client.get("/dyspozycje/", {"punkt": code}).content.decode()
        assert f"/dyspozycje/{Kind.HEATING_START}/?" not in page and "Dla punktu odbioru" not in page
    form = alice_client.get(f"/dyspozycje/{Kind.HEATING_START}/", {"punkt": "PO-B1"})
    assert form.status_code == 200 and _checked(form.content.decode(), "points") == []


def test_a_form_opens_with_the_point_chosen_where_it_offers_it(alice_client, alice_points):
    heating = alice_client.get(f"/dyspozycje/{Kind.HEATING_START}/", {"punkt": "PO-A2"}).content.decode()
    assert _checked(heating, "points") == ["PO-A2"]
    power = alice_client.get(f"/dyspozycje/{Kind.POWER}/", {"punkt": "PO-A3"}).content.decode()
    assert _checked(power, "point") == ["PO-A3"]
    # a point with hot water only is not offered for heating: nothing is chosen
    hot_water = alice_client.get(f"/dyspozycje/{Kind.HEATING_START}/", {"punkt": "PO-A3"}).content.decode()
    assert _checked(hot_water, "points") == []
    assert _checked(alice_client.get(f"/dyspozycje/{Kind.HEATING_START}/").content.decode(), "points") == []
