"""Moi odbiorcy (issue #12): every customer of a login with what needs attention, sortable, with
totals and a search box, in the same number of queries for 3 customers as for 60."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.models import CustomerAccess
from tests import factories
from tests.queries import MAX_QUERIES, count_queries

Role = CustomerAccess.Role


def _building(manager, n: int, role=Role.PROXY):
    customer = factories.make_customer(f"{500000 + n}", name=f"Wspólnota Mieszkaniowa Nr {n}", kind="firma")
    contract = factories.make_contract(customer)
    factories.make_point(contract, street=f"Kwiatowa {n}", postal_code="39-300", city="Mielec")
    factories.make_document(customer, gross="300.00", issue_date=dt.date(2026, 1, 5))  # overdue by now
    factories.make_payment(customer, "100.00")
    case = factories.make_case(customer)
    factories.make_staff_message(case)
    factories.grant(manager, customer, role)
    return customer


@pytest.fixture
def manager(db):
    return factories.make_login("zarzadca")


def test_it_lists_each_customer_with_balance_overdue_messages_and_cases_and_totals(client, manager, today):
    first = _building(manager, 1)
    _building(manager, 2, role=Role.VIEWER)
    client.force_login(manager)
    html = client.get("/moi-odbiorcy/").content.decode()
    assert "Wspólnota Mieszkaniowa Nr 1" in html and "Kwiatowa 2, 39-300 Mielec" in html
    assert f'href="/odbiorca/{first.number}/pulpit/"' in html
    assert "pełnomocnik" in html and "podgląd" in html
    assert html.count("200,00 zł") >= 4  # balance and overdue of each
    assert "400,00 zł" in html  # the totals


def test_the_search_finds_a_customer_by_number_name_or_address(client, manager):
    for n in range(1, 4):
        _building(manager, n)
    client.force_login(manager)
    for words in ("500002", "nr 2", "kwiatowa 2"):
        html = client.get("/moi-odbiorcy/", {"q": words}).content.decode()
        assert "Wspólnota Mieszkaniowa Nr 2" in html, words
        assert "Wspólnota Mieszkaniowa Nr 3" not in html, words
    html = client.get("/moi-odbiorcy/", {"q": "nic takiego"}).content.decode()
    assert "Nie znaleziono odbiorcy" in html


def test_it_sorts_by_a_column_both_ways(client, manager):
    buildings = [_building(manager, n) for n in (1, 2, 3)]
    factories.make_document(buildings[1], gross="50.00")
    client.force_login(manager)
    numbers = lambda html: re.findall(r'href="/odbiorca/(\d+)/pulpit/"', html)  # noqa: E731
    assert numbers(client.get("/moi-odbiorcy/", {"sort": "-numer"}).content.decode()) == ["500003", "500002", "500001"]
    assert numbers(client.get("/moi-odbiorcy/", {"sort": "-saldo"}).content.decode())[0] == "500002"


def test_it_never_lists_a_customer_the_login_does_not_reach(client, manager, alice):
    _building(manager, 1)
    factories.grant(manager, alice.customer, Role.PROXY, revoked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.force_login(manager)
    html = client.get("/moi-odbiorcy/").content.decode()
    assert "100001" not in html and "Alicja" not in html


def test_the_query_count_does_not_grow_with_the_number_of_customers(client, manager):
    client.force_login(manager)
    counts = []
    built = 0
    for size in (3, 60):
        while built < size:
            built += 1
            _building(manager, built)
        counts.append(count_queries(client, "/moi-odbiorcy/"))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_a_customer_page_of_a_manager_costs_no_more_than_of_a_single_login(client, manager, alice):
    for n in range(1, 4):
        _building(manager, n)
    client.force_login(alice)
    single = count_queries(client, "/pulpit/")
    client.force_login(manager)
    assert count_queries(client, "/odbiorca/500001/pulpit/") <= max(single, MAX_QUERIES)


def test_each_customer_page_of_a_manager_stays_within_the_query_budget(client, manager):
    for n in range(1, 4):
        _building(manager, n)
    client.force_login(manager)
    for path in ("/pulpit/", "/umowa/", "/platnosci/", "/dokumenty/", "/liczniki/", "/sprawy/", "/moje-konto/"):
        assert count_queries(client, "/odbiorca/500001" + path) <= MAX_QUERIES, path
