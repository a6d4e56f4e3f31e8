"""A second start for documents whose payment is still open goes back to it: never two orders at once."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from ebok.models import AuditEvent
from onlinepay.models import OnlinePayment
from tests import factories
from tests.threads import run_at_once

PAY = reverse("onlinepay:pay")


def _start(client, *numbers):
    return client.post(PAY, {"dokument": list(numbers)})


@pytest.mark.usefixtures("today")
def test_a_second_click_goes_back_to_the_same_gateway_page(alice_client, payu, invoices):
    _paid, first, second = invoices
    one = _start(alice_client, first.number, second.number)
    two = _start(alice_client, second.number, first.number)
    order = payu.only_order()  # one order at PayU, not two
    assert order["validityTime"] == "1800"  # PayU closes it when the portal stops reusing it
    assert one.status_code == two.status_code == 302
    assert one["Location"] == two["Location"] == f"{payu.url}pay/{order['orderId']}"
    assert OnlinePayment.objects.count() == 1
    assert AuditEvent.objects.filter(event="online_payment_resumed", customer_number="100001").count() == 1


@pytest.mark.usefixtures("today")
def test_other_documents_overlapping_an_open_payment_are_refused_with_a_message(alice_client, payu, invoices):
    _paid, first, second = invoices
    _start(alice_client, first.number)
    response = _start(alice_client, first.number, second.number)
    payment = OnlinePayment.objects.get()
    assert response.status_code == 409
    page = response.content.decode()
    assert f"Płatność {payment.reference} za {first.number} jest już rozpoczęta." in page
    assert page.count("checked") == 2  # the choice is kept
    assert len(payu.orders) == 1
    # a document of no open payment can still be paid on its own
    assert _start(alice_client, second.number).status_code == 302
    assert len(payu.orders) == 2


@pytest.mark.usefixtures("today")
def test_an_open_payment_for_an_amount_no_longer_owed_is_not_reused(alice_client, payu, invoices):
    _paid, first, _second = invoices
    _start(alice_client, first.number)
    factories.make_payment(first.customer, "23.00")  # billing books part of it meanwhile: 100,00 zł left
    response = _start(alice_client, first.number)
    assert response.status_code == 409 and "jest już rozpoczęta" in response.content.decode()
    assert len(payu.orders) == 1


def test_after_the_order_validity_or_a_final_state_a_new_payment_starts(alice_client, payu, invoices, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 11, tzinfo=dt.UTC), tick=True)
    _paid, first, _second = invoices
    _start(alice_client, first.number)
    time_machine.move_to(dt.datetime(2026, 11, 24, 11, 31, tzinfo=dt.UTC), tick=True)
    assert _start(alice_client, first.number).status_code == 302
    assert len(payu.orders) == 2
    newest = OnlinePayment.objects.order_by("-created").first()
    newest.change_status(PaymentStatus.REJECTED, source="notification")
    assert _start(alice_client, first.number).status_code == 302
    assert len(payu.orders) == 3


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_make_one_order(alice, payu, invoices):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions (CI runs it)")
    _paid, first, second = invoices
    payu.order_delay = 0.5  # the first order is still being created when the second click arrives
    clients = []
    for _ in range(2):
        c = Client()
        c.force_login(alice)
        clients.append(c)

    def click():
        c = clients.pop()
        return _start(c, first.number, second.number)

    responses = run_at_once(click, 2)
    assert [r.status_code for r in responses] == [302, 302]
    order = payu.only_order()
    assert {r["Location"] for r in responses} == {f"{payu.url}pay/{order['orderId']}"}
    assert OnlinePayment.objects.count() == 1
