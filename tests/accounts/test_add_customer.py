"""Dodaj numer odbiorcy (issue #12): registration's proof and throttle; a customer that has a
właściciel gets nothing but the same answer, and its właściciel is told."""

from __future__ import annotations

import pytest

from accounts.models import AccountAttempt, CustomerAccess, User
from tests import factories

ANSWER = "Jeśli dane się zgadzają"


@pytest.fixture
def manager_client(client, db):
    manager = factories.make_login("zarzadca")
    client.force_login(manager)
    client.manager = manager
    return client


def _add(client, number, invoice):
    return client.post("/moje-konto/dodaj-numer-odbiorcy/", {"customer_number": number, "invoice_number": invoice})


def test_a_proven_customer_without_an_owner_becomes_the_logins(manager_client):
    customer = factories.make_customer("300001")
    factories.make_document(customer, "FV/2026/10/1")
    response = _add(manager_client, "300001", "FV/2026/10/1")
    assert response.status_code == 302
    access = CustomerAccess.objects.get(user=manager_client.manager, customer=customer)
    assert access.role == "owner"
    assert ANSWER in manager_client.get(response["Location"]).content.decode()


def test_a_customer_with_an_owner_gets_the_same_answer_and_the_owner_is_told(manager_client, alice, send_queued_mail):
    factories.make_document(alice.customer, "FV/2026/10/2")
    response = _add(manager_client, "100001", "FV/2026/10/2")
    assert response.status_code == 302
    assert ANSWER in manager_client.get(response["Location"]).content.decode()
    assert not CustomerAccess.objects.filter(user=manager_client.manager).exists()
    outbox = send_queued_mail()
    assert [m.to for m in outbox] == [["alice@example.pl"]]
    assert "poprosił o dostęp" in outbox[0].body
    _add(manager_client, "100001", "FV/2026/10/2")  # again the same day: no second e-mail
    assert len(send_queued_mail()) == 1


def test_a_wrong_proof_gets_the_same_answer_and_counts_as_a_failed_registration(manager_client):
    factories.make_document(factories.make_customer("300002"), "FV/2026/10/3")
    response = _add(manager_client, "300002", "FV/ZLA")
    assert response.status_code == 302
    assert ANSWER in manager_client.get(response["Location"]).content.decode()
    assert not CustomerAccess.objects.filter(user=manager_client.manager).exists()
    assert AccountAttempt.objects.filter(kind="registration", outcome="failed", customer_number="300002").exists()


def test_it_is_throttled_like_registration(manager_client, settings):
    factories.make_customer("300003")
    for _ in range(settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP):
        assert _add(manager_client, "300003", "FV/ZLA").status_code == 302
    response = _add(manager_client, "300003", "FV/ZLA")
    assert response.status_code == 429
    assert "Zbyt wiele prób" in response.content.decode()


def test_a_form_error_keeps_what_was_typed(manager_client):
    response = _add(manager_client, "12ab", "FV/1")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="12ab"' in html and 'value="FV/1"' in html


def test_registering_a_number_that_a_login_already_holds_makes_no_second_owner(manager_client):
    from tests.accounts.conftest import registration

    customer = factories.make_customer("300004")
    factories.make_document(customer, "FV/2026/10/4")
    _add(manager_client, "300004", "FV/2026/10/4")
    manager_client.logout()
    response = manager_client.post(
        "/rejestracja/", registration(customer_number="300004", invoice_number="FV/2026/10/4")
    )
    assert response.status_code == 302  # the same answer as always
    assert list(CustomerAccess.objects.filter(customer=customer).values_list("role", flat=True)) == ["owner"]
    assert not User.objects.filter(customer=customer).exists()
