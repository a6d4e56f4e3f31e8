import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import queries_for_history_sizes

pytestmark = pytest.mark.usefixtures("today")

URL = reverse("start")
NBSP = "\u00a0"


def test_home_sends_a_logged_in_customer_to_the_start_page(alice_client):
    response = alice_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == URL


def test_it_shows_the_amount_due_nearest_due_date_and_overdue_documents(alice_client, alice):
    c = alice.customer
    factories.make_document(c, "FV/LATE", gross="100.00", issue_date=dt.date(2026, 10, 1))  # due 15.10
    factories.make_document(c, "FV/NEXT", gross="50.00", issue_date=dt.date(2026, 11, 20))  # due 04.12
    html = alice_client.get(URL).content.decode()
    assert f"150,00{NBSP}zł" in html
    assert "15.10.2026" in html  # the nearest due date is the overdue one
    assert "FV/LATE" in html


def test_it_shows_an_overpayment(alice_client, alice):
    factories.make_document(alice.customer, "FV/1", gross="100.00")
    factories.make_payment(alice.customer, "120.00")
    html = alice_client.get(URL).content.decode()
    assert "Nadpłata" in html and f"20,00{NBSP}zł" in html


def test_it_warns_of_meters_whose_legalisation_ends_within_90_days(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer))
    factories.make_meter(point, "SOON-1", legalisation_until=dt.date(2027, 1, 31))
    factories.make_meter(point, "LATER-1", legalisation_until=dt.date(2027, 6, 30))
    factories.make_meter(point, "GONE-1", legalisation_until=dt.date(2026, 12, 1), removed_on=dt.date(2025, 1, 1))
    html = alice_client.get(URL).content.decode()
    assert "SOON-1" in html and "31.01.2027" in html
    assert "LATER-1" not in html and "GONE-1" not in html


def test_it_lists_the_latest_documents(alice_client, alice):
    factories.make_document(alice.customer, "FV/NEWEST", issue_date=dt.date(2026, 11, 5), pdf="a.pdf")
    factories.make_other_document(alice.customer, title="Taryfa 2027", date=dt.date(2026, 11, 1), pdf="b.pdf")
    html = alice_client.get(URL).content.decode()
    assert "FV/NEWEST" in html and "Taryfa 2027" in html


def test_it_shows_unread_case_messages(alice_client, alice, bob):
    for _ in range(3):
        factories.make_staff_message(factories.make_case(alice.customer))
    factories.make_staff_message(factories.make_case(bob.customer))
    html = alice_client.get(URL).content.decode()
    # Polish plural for 2-4 (the catalogue has the three Polish forms): "3 nieprzeczytane wiadomości".
    assert "3 nieprzeczytane wiadomości" in html


def test_it_shows_nothing_of_another_customer(alice_client, bob):
    factories.make_document(bob.customer, "FV/BOB")
    assert "FV/BOB" not in alice_client.get(URL).content.decode()


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big
