import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import page_html
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
    assert "FV/LATE" in html
    balance = html[html.index('id="balance-heading"') : html.index('id="overdue-heading"')]
    assert f'W tym po terminie od 15.10.2026</span>: <strong class="amount">100,00{NBSP}zł' in balance
    assert "Najbliższy termin płatności: <strong>04.12.2026</strong>" in balance


def test_an_overdue_customer_with_nothing_else_due_sees_no_nearest_due_date_in_the_past(alice_client, alice):
    factories.make_document(alice.customer, "FV/LATE", gross="100.00", issue_date=dt.date(2026, 10, 1))  # due 15.10
    html = alice_client.get(URL).content.decode()
    assert "W tym po terminie od 15.10.2026" in html
    assert "Najbliższy termin płatności" not in html


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


def test_it_shows_the_number_of_unread_case_messages(alice_client, alice, bob):
    case = factories.make_case(alice.customer)
    factories.make_staff_message(case)
    factories.make_staff_message(case)
    factories.make_staff_message(factories.make_case(alice.customer))
    factories.make_staff_message(case, read=True)
    factories.make_staff_message(factories.make_case(bob.customer))  # another customer's: not counted
    html = alice_client.get(URL).content.decode()
    # Polish plural for 2-4 (the catalogue has the three Polish forms): "3 nieprzeczytane wiadomości".
    assert "3 nieprzeczytane wiadomości" in html


def test_it_shows_nothing_of_another_customer(alice_client, alice, bob):
    factories.make_document(alice.customer, "FV/ALICE", issue_date=dt.date(2026, 11, 5), pdf="a.pdf")
    factories.make_document(bob.customer, "FV/BOB", issue_date=dt.date(2026, 11, 6), pdf="b.pdf")
    html = page_html(alice_client, URL)
    assert "FV/ALICE" in html and "FV/BOB" not in html


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big
