"""The chosen customer in the URL (issue #12): a bookmark always shows the same customer, two tabs
on two customers work side by side, and every link of a page carries its customer."""

from __future__ import annotations

import re

from django.urls import reverse

from accounts.models import CustomerAccess
from tests import factories


def _manager_of(*customers, role=CustomerAccess.Role.PROXY):
    manager = factories.make_login("zarzadca")
    for customer in customers:
        factories.grant(manager, customer, role)
    return manager


def test_two_customers_side_by_side_in_one_session(client, alice, bob):
    factories.make_document(alice.customer, "FV/A/1")
    factories.make_document(bob.customer, "FV/B/1")
    client.force_login(_manager_of(alice.customer, bob.customer))
    first = client.get("/odbiorca/100001/pulpit/").content.decode()
    second = client.get("/odbiorca/100002/pulpit/").content.decode()
    again = client.get("/odbiorca/100001/pulpit/").content.decode()
    assert "FV/A/1" in first and "FV/B/1" not in first
    assert "FV/B/1" in second and "FV/A/1" not in second
    assert first.count("FV/A/1") == again.count("FV/A/1")


def test_every_link_of_a_page_keeps_its_customer_and_the_header_names_it(client, alice, bob):
    client.force_login(_manager_of(alice.customer, bob.customer))
    html = client.get("/odbiorca/100002/pulpit/").content.decode()
    assert 'href="/odbiorca/100002/dokumenty/"' in html
    assert 'href="/odbiorca/100002/sprawy/"' in html
    assert not re.search(r'href="/(dokumenty|sprawy|platnosci|umowa)/', html)
    assert 'class="shown-customer">100002<' in html
    assert "Bobex Sp. z o.o." in html
    assert 'href="/moi-odbiorcy/"' in html  # the way to switch
    # Outside the request the prefix is gone again.
    assert reverse("billing:documents") == "/dokumenty/"


def test_a_redirect_after_a_post_stays_with_the_customer(client, alice, bob):
    client.force_login(_manager_of(alice.customer, bob.customer))
    case_type = factories.make_case(bob.customer).type_id
    response = client.post(
        "/odbiorca/100002/sprawy/nowa/", {"type": case_type, "subject": "Grzejnik", "body": "Zimno."}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/odbiorca/100002/sprawy/")
    assert bob.customer.cases.filter(subject="Grzejnik").exists()
    assert not alice.customer.cases.filter(subject="Grzejnik").exists()


def test_a_login_with_one_customer_keeps_todays_urls(alice_client):
    html = alice_client.get("/pulpit/").content.decode()
    assert 'href="/dokumenty/"' in html
    assert "Zmień odbiorcę" not in html
    assert alice_client.get("/odbiorca/100001/dokumenty/").status_code == 200


def test_an_unprefixed_link_asks_a_manager_which_customer_and_then_goes_there(client, alice, bob):
    client.force_login(_manager_of(alice.customer, bob.customer))
    response = client.get("/dokumenty/")
    assert response.status_code == 302
    chooser = client.get(response["Location"]).content.decode()
    assert 'href="/odbiorca/100001/dokumenty/"' in chooser
    assert 'href="/odbiorca/100002/dokumenty/"' in chooser


def test_a_customer_the_login_does_not_reach_is_404_like_one_that_does_not_exist(client, alice, bob):
    client.force_login(_manager_of(alice.customer))
    assert client.get("/odbiorca/100002/pulpit/").status_code == 404
    assert client.get("/odbiorca/999999/pulpit/").status_code == 404
    assert client.get("/odbiorca/100001/pulpit/").status_code == 200


def test_the_home_page_sends_a_manager_to_moi_odbiorcy_and_a_single_login_to_its_start(client, alice, bob):
    client.force_login(alice)
    assert client.get("/")["Location"] == "/pulpit/"
    client.force_login(_manager_of(alice.customer, bob.customer))
    assert client.get("/")["Location"] == "/moi-odbiorcy/"


def test_a_login_whose_access_was_all_revoked_lands_on_moi_odbiorcy_which_says_so(client, alice):
    from django.utils import timezone

    manager = factories.make_login("zarzadca")
    factories.grant(manager, alice.customer, revoked_at=timezone.now())
    client.force_login(manager)
    assert client.get("/")["Location"] == "/moi-odbiorcy/"
    assert "nie ma dostępu do żadnego odbiorcy" in client.get("/moi-odbiorcy/").content.decode()
    assert "Alicja" not in client.get("/moi-odbiorcy/").content.decode()
