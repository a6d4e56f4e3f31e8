"""Signing in with the e-mail address (issue #12): the same lockout and the same answers as with
the customer number; an address shared by several logins signs nobody in."""

from __future__ import annotations

from django.conf import settings

from tests import factories


def _login(client, username, password=factories.PASSWORD):
    return client.post("/logowanie/", {"username": username, "password": password})


def test_a_customer_signs_in_with_the_e_mail_in_any_case(client, alice):
    response = _login(client, "Alice@Example.PL")
    assert response.status_code == 302
    assert client.get("/pulpit/").status_code == 200


def test_the_page_names_both_ways_in(client, db):
    assert "numer odbiorcy lub adres e-mail" in client.get("/logowanie/").content.decode()


def test_a_wrong_password_by_e_mail_gets_the_same_answer_as_by_number(client, alice):
    by_number = _login(client, "100001", "zle").content.decode()
    by_email = _login(client, "alice@example.pl", "zle").content.decode()
    unknown = _login(client, "nikt@example.pl", "zle").content.decode()
    for page in (by_number, by_email, unknown):
        assert "Nieprawidłowy login lub hasło." in page


def test_an_address_shared_by_two_logins_signs_nobody_in_and_says_to_use_the_number(client, alice):
    factories.make_user(factories.make_customer("100007"), email="alice@example.pl")
    page = _login(client, "alice@example.pl").content.decode()
    assert "Nieprawidłowy login lub hasło." in page
    assert "zaloguj się numerem odbiorcy" in page
    assert _login(client, "100001").status_code == 302


def test_the_number_and_the_address_share_one_lockout(client, alice):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "100001" if n % 2 else "alice@example.pl", "zle")
    assert _login(client, "100001").status_code in (403, 429)
    assert _login(client, "alice@example.pl").status_code in (403, 429)


def test_a_representative_signs_in_with_its_address_login(client, alice):
    from accounts.models import CustomerAccess

    manager = factories.make_login("zarzadca@example.pl", email="zarzadca@example.pl")
    factories.grant(manager, alice.customer, CustomerAccess.Role.PROXY)
    assert _login(client, "ZARZADCA@example.pl").status_code == 302
    assert client.get("/pulpit/").status_code == 200


def test_staff_do_not_sign_in_here_by_address(client, staff):
    assert _login(client, staff.email).status_code == 200
