"""accounts.backends.UserWithCustomerBackend: the request's user comes with its access rows and
their customers (what ebok.access.grants answers), in one query."""

from django.contrib.auth import get_user
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.backends import UserWithCustomerBackend
from accounts.models import CustomerAccess
from ebok import access
from tests import factories


def test_the_user_of_a_request_comes_with_the_customer_in_one_query(alice_client, alice, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.session = alice_client.session
    with django_assert_num_queries(2):  # the session, then the user joined with its access and customers
        user = get_user(request)
        assert user.customer.number == alice.customer.number
        assert list(access.grants(user)) == [alice.customer.number]
        assert access.may(user, alice.customer, access.MANAGE)
        assert user.email_failing is False


def test_a_login_with_several_customers_is_one_user_object_and_one_query(db, django_assert_num_queries):
    manager = factories.make_user(factories.make_customer())
    others = [factories.make_customer() for _ in range(3)]
    for customer in others:
        factories.grant(manager, customer)
    revoked = factories.make_customer()
    factories.grant(manager, revoked, revoked_at=timezone.now())
    with django_assert_num_queries(1):
        user = UserWithCustomerBackend().get_user(manager.pk)
        found = access.grants(user)
    assert sorted(found) == sorted([manager.customer_id, *(c.number for c in others)])
    assert revoked.number not in found
    assert all(row.user is user for row in found.values())
    assert access.role(user, others[0]) == CustomerAccess.Role.PROXY


def test_a_login_that_reaches_no_customer_takes_a_plain_second_query(db, django_assert_num_queries):
    login = factories.make_user()
    CustomerAccess.objects.filter(user=login).update(revoked_at=timezone.now())
    with django_assert_num_queries(2):
        user = UserWithCustomerBackend().get_user(login.pk)
        assert access.grants(user) == {}
    assert user.pk == login.pk and user.email_failing is False


def test_staff_reach_no_customer_even_with_an_access_row(db):
    staff = factories.make_staff()
    factories.grant(staff, factories.make_customer())
    assert access.grants(UserWithCustomerBackend().get_user(staff.pk)) == {}


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
