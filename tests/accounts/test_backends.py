"""accounts.backends.UserWithCustomerBackend: the request's user comes with their Customer."""

from django.contrib.auth import get_user
from django.test import RequestFactory
from django.urls import reverse

from accounts.backends import UserWithCustomerBackend
from tests import factories


def test_the_user_of_a_request_comes_with_the_customer_in_one_query(alice_client, alice, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.session = alice_client.session
    with django_assert_num_queries(2):  # the session, then the user joined with the customer
        user = get_user(request)
        assert user.customer.number == alice.customer.number


def test_an_inactive_user_is_not_loaded(alice):
    alice.is_active = False
    alice.save()
    assert UserWithCustomerBackend().get_user(alice.pk) is None


def test_a_missing_user_is_none(db):
    assert UserWithCustomerBackend().get_user(999_999) is None


def test_the_login_page_logs_in_through_it(client, alice):
    client.post(reverse("accounts:login"), {"username": alice.username, "password": factories.PASSWORD})
    assert client.session["_auth_user_backend"] == "accounts.backends.UserWithCustomerBackend"
    assert client.get(reverse("start")).status_code == 200


def test_a_malformed_user_id_is_none(db):
    assert UserWithCustomerBackend().get_user("not-a-number") is None
