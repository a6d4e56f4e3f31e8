import datetime as dt

from django.urls import reverse

from tests import factories
from tests.queries import queries_for_history_sizes


def test_it_shows_the_point_and_its_meters_including_removed_ones(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer, "UM/1"), "PO-1")
    factories.make_meter(point, "OLD-1", removed_on=dt.date(2023, 6, 1))
    factories.make_meter(point, "NEW-1", installed_on=dt.date(2023, 6, 1))
    html = alice_client.get(reverse("billing:point", args=["PO-1"])).content.decode()
    for text in ["PO-1", "UM/1", "OLD-1", "01.06.2023", "NEW-1"]:
        assert text in html


def test_another_customers_point_is_not_found(alice_client, bob):
    factories.make_point(factories.make_contract(bob.customer), "PO-BOB")
    assert alice_client.get(reverse("billing:point", args=["PO-BOB"])).status_code == 404


def test_an_unknown_point_is_not_found(alice_client):
    assert alice_client.get(reverse("billing:point", args=["PO-NONE"])).status_code == 404


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: reverse("billing:point", args=[o["point"].code]))
    assert small == big
