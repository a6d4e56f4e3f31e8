"""With no gateway keys (and DEBUG off) the portal looks as before, and a system check says why."""

import pytest
from django.core import checks
from django.urls import reverse

from tests.queries import queries_of


@pytest.mark.usefixtures("today")
def test_with_no_keys_no_page_offers_online_payment(alice_client, invoices):
    for url in (reverse("start"), reverse("billing:payments")):
        page = alice_client.get(url).content.decode()
        assert "Zapłać online" not in page and "onlinepay-select" not in page and "platnosci-online" not in page
    assert alice_client.get(reverse("onlinepay:pay")).status_code == 404


@pytest.mark.usefixtures("today")
def test_with_no_keys_the_pages_cost_no_extra_query(alice_client, invoices, settings, payu):
    url = reverse("billing:payments")
    with_gateway = queries_of(lambda: alice_client.get(url))
    settings.EBOK_PAYU_POS_ID = ""
    without = queries_of(lambda: alice_client.get(url))
    assert with_gateway == without + 1  # the one query for the documents being paid online


def test_a_system_check_warns_with_debug_off_and_no_keys(settings):
    settings.DEBUG = False
    assert "onlinepay.W001" in [m.id for m in checks.run_checks()]


def test_no_warning_with_the_keys(settings, payu):
    settings.DEBUG = False
    assert "onlinepay.W001" not in [m.id for m in checks.run_checks()]


def test_the_sandbox_in_production_is_a_deploy_warning(settings, payu):
    settings.DEBUG = False
    settings.EBOK_PAYU_SANDBOX = True
    assert "onlinepay.W002" in [m.id for m in checks.run_checks(include_deployment_checks=True)]


def test_a_login_that_may_only_view_gets_no_button(payu, invoices, alice, client, monkeypatch):
    """The button is for those who may act (ebok.access); the representatives' roles build on it."""
    import ebok.access

    real = ebok.access.may
    monkeypatch.setattr(
        ebok.access, "may", lambda user, customer, action: action == "view" and real(user, customer, action)
    )
    client.force_login(alice)
    assert "Zapłać online" not in client.get(reverse("billing:payments")).content.decode()
    assert client.get(reverse("onlinepay:pay")).status_code == 404
