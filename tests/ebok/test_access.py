"""ebok.access: the one place that decides what a login may do for a customer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from ebok import access


def test_a_login_may_do_everything_for_its_own_customer_and_nothing_for_another(alice, bob):
    for action in access.ACTIONS:
        assert access.may(alice, alice.customer, action) is True
        assert access.may(alice, bob.customer, action) is False
    assert access.may(AnonymousUser(), alice.customer, access.VIEW) is False
    with pytest.raises(ValueError):
        access.may(alice, alice.customer, "delete")


def test_customer_required_sets_the_customer_and_what_the_login_may_do(alice, staff):
    seen = {}

    @access.customer_required(action=access.ACT)
    def view(request):
        seen["customer"] = request.customer
        seen["act"] = request.access.act
        return HttpResponse("ok")

    request = RequestFactory().post("/sprawy/nowa/")
    request.user = alice
    assert view(request).status_code == 200
    assert seen == {"customer": alice.customer, "act": True}

    request = RequestFactory().get("/sprawy/nowa/")
    request.user = staff
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/?next=")


def test_customer_required_refuses_with_404_what_the_login_may_not_do(alice, bob, monkeypatch):
    monkeypatch.setattr(access, "may", lambda user, customer, action: action == access.VIEW)

    @access.customer_required(action=access.ACT)
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().post("/")
    request.user = alice
    with pytest.raises(Http404):
        view(request)
