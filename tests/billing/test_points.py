from django.urls import reverse

from tests import factories
from tests.pages import page_html
from tests.queries import queries_for_history_sizes

URL = reverse("billing:points")


def test_it_lists_points_with_kind_substation_power_and_meters(alice_client, alice):
    contract = factories.make_contract(alice.customer, tariff_group="C1")
    point = factories.make_point(contract, "PO-000777", substation="W-529", kind="co")
    factories.make_meter(point, "SN-HEAT-1")
    html = alice_client.get(URL).content.decode()
    for text in ["PO-000777", "W-529", "centralne ogrzewanie", "C1", "0,125", "SN-HEAT-1"]:
        assert text in html


def test_it_never_lists_another_customers_point(alice_client, alice, bob):
    factories.make_point(factories.make_contract(alice.customer), "PO-ALICE")
    factories.make_point(factories.make_contract(bob.customer), "PO-BOB")
    html = page_html(alice_client, URL)
    assert "PO-ALICE" in html and "PO-BOB" not in html


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big
