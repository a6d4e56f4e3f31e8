"""Dyspozycje i wnioski: the kinds with their deadlines, the customer's requests; the tab and the
link from Lista spraw; query counts that do not grow with the number of requests."""

from __future__ import annotations

import pytest

from heat.models import DeadlineRule, Kind
from tests import factories
from tests.heat.factories import file_heating_start
from tests.pages import login_redirect
from tests.queries import MAX_QUERIES, count_queries

pytestmark = pytest.mark.usefixtures("today")
URL = "/dyspozycje/"


def test_it_lists_every_kind_with_its_deadline(alice_client):
    page = alice_client.get(URL).content.decode()
    for kind in Kind:
        assert f'href="/dyspozycje/{kind.value}/"' in page
    assert "Realizacja w ciągu 8 godz. od wskazanego terminu." in page
    assert "Odpowiedź w ciągu 14 dni od złożenia." in page


def test_a_deadline_changed_in_the_admin_is_what_the_customer_reads(alice_client):
    DeadlineRule.objects.filter(kind=Kind.COMPLAINT).update(amount=10)
    assert "Odpowiedź w ciągu 10 dni od złożenia." in alice_client.get(URL).content.decode()


def test_it_lists_the_customers_requests_with_status_and_deadline(alice_client, alice, alice_points):
    req = file_heating_start(alice.customer, alice_points[:2])
    page = alice_client.get(URL).content.decode()
    assert req.case.number in page and "złożony" in page
    assert "realizacja do 25.11.2026 02:00" in page


def test_the_tab_bar_and_lista_spraw_lead_here(alice_client):
    page = alice_client.get("/sprawy/").content.decode()
    assert page.count('href="/dyspozycje/"') == 2  # the tab and the cases menu
    assert 'aria-current="page" href="/dyspozycje/"' in alice_client.get(URL).content.decode().replace(
        'class="nav-link active" ', ""
    )


def test_it_needs_a_login(client, db):
    assert client.get(URL)["Location"] == login_redirect(URL)


@pytest.mark.parametrize("path", [URL, *[f"/dyspozycje/{kind.value}/" for kind in Kind]])
def test_the_pages_cost_the_same_queries_for_few_and_many_requests(client, db, path):
    counts = []
    for requests in (1, 25):
        user = factories.make_user()
        history = factories.make_history(user.customer, 3 if requests == 1 else 24)
        for _ in range(requests):
            file_heating_start(user.customer, [history["point"]])
        client.force_login(user)
        counts.append(count_queries(client, path))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_the_case_page_of_a_request_costs_the_same_queries_for_few_and_many_points(client, db):
    counts = []
    for points in (1, 12):
        user = factories.make_user()
        contract = factories.make_contract(user.customer)
        req = file_heating_start(user.customer, [factories.make_point(contract) for _ in range(points)])
        client.force_login(user)
        counts.append(count_queries(client, f"/sprawy/{req.case_id}/"))
    assert counts[0] == counts[1], counts
