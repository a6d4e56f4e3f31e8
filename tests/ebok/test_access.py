"""ebok.access: the one place that decides what a login may do for a customer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerAccess
from ebok import access
from tests import factories

Role = CustomerAccess.Role


def test_a_login_may_do_everything_for_its_own_customer_and_nothing_for_another(alice, bob):
    for action in access.ACTIONS:
        assert access.may(alice, alice.customer, action) is True
        assert access.may(alice, bob.customer, action) is False
    assert access.may(AnonymousUser(), alice.customer, access.VIEW) is False
    with pytest.raises(ValueError):
        access.may(alice, alice.customer, "delete")


@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.OWNER, {access.VIEW, access.ACT, access.MANAGE}),
        (Role.PROXY, {access.VIEW, access.ACT}),
        (Role.VIEWER, {access.VIEW}),
    ],
)
def test_each_role_may_do_what_the_issue_says(bob, role, allowed):
    login = factories.make_login()
    customer = factories.make_customer()
    factories.grant(login, customer, role, source="registration" if role == Role.OWNER else "invitation")
    login = type(login).objects.get(pk=login.pk)
    assert {action for action in access.ACTIONS if access.may(login, customer, action)} == allowed
    assert not any(access.may(login, bob.customer, action) for action in access.ACTIONS)


def test_a_revoked_access_allows_nothing(bob):
    login = factories.make_login()
    factories.grant(login, bob.customer, Role.PROXY, revoked_at=timezone.now())
    assert not any(access.may(login, bob.customer, action) for action in access.ACTIONS)


def test_staff_reach_no_customer_even_with_an_access_row(staff, alice):
    CustomerAccess.objects.bulk_create(
        [CustomerAccess(user=staff, customer=alice.customer, role="proxy", source="invitation")]
    )
    assert access.may(staff, alice.customer, access.VIEW) is False


def _request(method, path, user):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    request.customer_in_url = None
    request.session = {}
    MessageMiddleware(lambda request: None).process_request(request)  # the message storage, as in a request
    return request


def test_customer_required_sets_the_customer_and_what_the_login_may_do(alice, staff):
    seen = {}

    @access.customer_required(action=access.ACT)
    def view(request):
        seen["customer"] = request.customer
        seen["act"] = request.access.act
        return HttpResponse("ok")

    assert view(_request("post", "/sprawy/nowa/", alice)).status_code == 200
    assert seen == {"customer": alice.customer, "act": True}

    response = view(_request("get", "/sprawy/nowa/", staff))
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/?next=")


def test_customer_required_shows_a_viewer_the_page_but_refuses_its_post(alice):
    viewer = factories.make_login()
    factories.grant(viewer, alice.customer, Role.VIEWER)

    @access.customer_required(action=access.ACT)
    def view(request):
        return HttpResponse("done")

    assert view(_request("get", "/sprawy/nowa/", viewer)).content == b"done"
    response = view(_request("post", "/sprawy/nowa/", viewer))
    assert (response.status_code, response["Location"]) == (302, "/sprawy/nowa/")


def test_a_page_that_is_only_a_form_to_act_is_a_404_for_a_viewer_and_open_to_a_proxy(alice):
    viewer, proxy = factories.make_login("podglad"), factories.make_login("pelnomocnik")
    factories.grant(viewer, alice.customer, Role.VIEWER)
    factories.grant(proxy, alice.customer, Role.PROXY)

    @access.customer_required(action=access.ACT, to_open=access.ACT)
    def view(request):
        return HttpResponse("form")

    with pytest.raises(Http404):
        view(_request("get", "/platnosci-online/zaplac/", viewer))
    with pytest.raises(Http404):
        view(_request("post", "/platnosci-online/zaplac/", viewer))
    assert view(_request("get", "/platnosci-online/zaplac/", proxy)).content == b"form"
    assert view(_request("post", "/platnosci-online/zaplac/", proxy)).content == b"form"


def test_customer_required_answers_404_for_a_customer_in_the_url_the_login_does_not_reach(alice, bob):
    @access.customer_required
    def view(request):
        return HttpResponse("ok")

    request = _request("get", "/", alice)
    request.customer_in_url = bob.customer.number
    with pytest.raises(Http404):
        view(request)
    request.customer_in_url = "999999"  # a number that does not exist: the same answer
    with pytest.raises(Http404):
        view(request)


def test_a_login_with_several_customers_and_none_in_the_url_goes_to_choose_one(alice, bob):
    factories.grant(alice, bob.customer, Role.VIEWER)

    @access.customer_required
    def view(request):
        return HttpResponse("ok")

    response = view(_request("get", "/dokumenty/?rok=2026", alice))
    assert response.status_code == 302
    assert response["Location"] == "/moi-odbiorcy/?next=%2Fdokumenty%2F%3Frok%3D2026"


def test_links_name_a_customer_outside_a_request_and_inside_one(client, alice, bob):
    assert access.reverse_for_customer("billing:documents", "100002") == "/odbiorca/100002/dokumenty/"
    assert access.reverse_for_customer("cases:detail", "100002", 7) == "/odbiorca/100002/sprawy/7/"
    assert access.reverse_without_customer("billing:documents") == reverse("billing:documents") == "/dokumenty/"
