"""Starting a payment: the documents, the amounts billing's settlement gives, the gateway's order."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from payments import PaymentStatus

from ebok.models import AuditEvent
from onlinepay.models import OnlinePayment
from tests import factories
from tests.onlinepay.conftest import notify

PAY = reverse("onlinepay:pay")
pytestmark = pytest.mark.usefixtures("today")


def _start(client, *numbers):
    return client.post(PAY, {"dokument": list(numbers)})


def test_the_happy_path_pays_two_documents_at_the_amounts_still_owed(alice_client, payu, invoices):
    _paid, first, second = invoices
    response = _start(alice_client, first.number, second.number)
    order = payu.only_order()
    assert response.status_code == 302
    assert response["Location"] == f"{payu.url}pay/{order['orderId']}"
    payment = OnlinePayment.objects.get()
    assert payment.total == Decimal("373.00")
    assert order["totalAmount"] == "37300" and order["currencyCode"] == "PLN"
    assert order["extOrderId"] == payment.reference
    assert order["notifyUrl"].endswith(f"/platnosci-online/bramka/process/{payment.token}/")
    assert order["continueUrl"].endswith(f"/platnosci-online/{payment.reference}/")
    assert payment.reference in order["description"] and first.number in order["description"]
    assert sorted((p["name"], p["unitPrice"]) for p in order["products"]) == [
        (first.number, "12300"),
        (second.number, "25000"),
    ]
    assert payment.transaction_id == order["orderId"]
    assert AuditEvent.objects.filter(event="online_payment_started", customer_number="100001").count() == 1

    payu.set_status(order["orderId"], "COMPLETED")
    body, header = payu.notification(order["orderId"])
    assert notify(alice_client, payment, body, header).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.confirmed_at is not None
    assert payment.gateway_status == "COMPLETED"
    assert [e.status for e in payment.events.all()] == [PaymentStatus.WAITING, PaymentStatus.CONFIRMED]
    assert AuditEvent.objects.filter(event="online_payment_status", details__status="confirmed").count() == 1

    page = alice_client.get(reverse("billing:payments")).content.decode()
    assert page.count("opłacone online 24.11.2026, w trakcie księgowania") == 2
    assert "Opłacone online, w trakcie księgowania" in page
    assert f"?dokument={first.number.replace('/', '%2F')}" not in page  # not offered again


@pytest.mark.usefixtures("today")
def test_the_start_page_offers_the_whole_amount_due(alice_client, payu, invoices):
    page = alice_client.get(reverse("start")).content.decode()
    assert "Zapłać online 373,00 zł" in page.replace("\xa0", " ")
    form = alice_client.get(PAY).content.decode()
    assert form.count("checked") == 2  # both open documents chosen, not the paid one
    assert "FV/2026/08/000001" not in form


def test_a_document_of_another_customer_is_not_found(alice_client, payu, invoices, bob):
    foreign = factories.make_document(bob.customer, "FV/2026/10/999999")
    assert _start(alice_client, foreign.number).status_code == 404
    assert alice_client.get(PAY, {"dokument": foreign.number}).status_code == 404
    assert alice_client.get(PAY, {"dokument": "FV/NIE/ISTNIEJE"}).status_code == 404
    assert not OnlinePayment.objects.exists() and not payu.orders


def test_bob_cannot_see_alices_payment(client, alice_client, payu, invoices, bob):
    _start(alice_client, invoices[1].number)
    payment = OnlinePayment.objects.get()
    client.force_login(bob)
    assert client.get(reverse("onlinepay:return", args=[payment.reference])).status_code == 404


def test_no_document_chosen_is_an_error_that_loses_nothing(alice_client, payu, invoices):
    response = _start(alice_client)
    assert response.status_code == 400
    html = response.content.decode()
    # The site's error summary, with the page's own heading, linking to the hand-drawn checkboxes.
    assert "Nie można rozpocząć płatności" in html and "data-error-summary" in html
    assert 'href="#documents-heading">Dokumenty do zapłaty: Zaznacz co najmniej jeden dokument do zapłaty.' in html
    assert not OnlinePayment.objects.exists()


def test_a_paid_document_is_refused_with_a_message(alice_client, payu, invoices):
    response = _start(alice_client, invoices[0].number)  # settled by the 100 zł payment
    assert response.status_code == 400
    assert "jest już opłacony" in response.content.decode()


def test_the_gateway_down_gives_a_clear_message_and_nothing_is_paid(alice_client, payu, invoices, settings):
    payu.stop()
    response = _start(alice_client, invoices[1].number)
    assert response.status_code == 503
    assert "Nie udało się połączyć z bramką płatności. Nic nie zostało pobrane." in response.content.decode()
    payment = OnlinePayment.objects.get()
    assert payment.status == PaymentStatus.ERROR and payment.confirmed_at is None
    page = alice_client.get(reverse("billing:payments")).content.decode()
    assert "opłacone online" not in page


def test_the_pay_page_lets_its_form_lead_to_the_gateway_only(alice_client, payu, invoices):
    csp = alice_client.get(PAY)["Content-Security-Policy"]
    assert f"form-action 'self' {payu.url.rstrip('/')}" in csp


def test_paying_needs_the_right_to_act(client, payu, invoices):
    response = client.get(PAY)
    assert response.status_code == 302 and "/logowanie/" in response["Location"]


def test_the_order_body_is_what_payu_documents(alice_client, payu, invoices):
    _start(alice_client, invoices[2].number)
    order = payu.only_order()
    assert order["merchantPosId"] == "300746" and order["customerIp"] == "127.0.0.1"
    assert order["buyer"] == {"email": "alice@example.pl", "language": "pl"}
    json.dumps(order)  # plain JSON, amounts as strings of grosze


def test_a_link_to_a_document_already_paid_says_so(alice_client, payu, invoices):
    page = alice_client.get(PAY, {"dokument": invoices[0].number}).content.decode()
    assert f"Dokument {invoices[0].number} jest już opłacony" in page
    assert 'name="dokument" value="FV/2026/08/000001"' not in page
