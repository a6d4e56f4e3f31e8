"""PayU's notification: signature, the order's ids, amount and currency, idempotence, no way back."""

import logging

import pytest
from django.urls import reverse
from payments import PaymentStatus

from ebok.models import AuditEvent
from onlinepay.models import OnlinePayment
from tests.onlinepay.conftest import notify
from tests.onlinepay.fake_payu import sign

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def started(alice_client, payu, invoices):
    alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number, invoices[2].number]})
    payment = OnlinePayment.objects.get()
    return payment, payu.only_order()["orderId"]


def test_a_tampered_signature_is_refused_and_logged(client, payu, started, caplog):
    payment, order_id = started
    body, header = payu.notification(order_id, "COMPLETED")
    with caplog.at_level(logging.WARNING, logger="onlinepay.payu"):
        response = notify(client, payment, body.replace(b"37300", b"37301"), header)
    assert response.status_code == 400
    assert "wrong signature" in caplog.text
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING
    refused = AuditEvent.objects.get(event="online_payment_notification_refused")
    assert refused.details["reason"] == "signature"


def test_a_notification_signed_with_another_key_or_unsigned_is_refused(client, payu, started):
    payment, order_id = started
    body, _header = payu.notification(order_id, "COMPLETED")
    assert notify(client, payment, body, sign(body, key="not-the-second-key")).status_code == 400
    assert client.post(payment.get_process_url(), body, content_type="application/json").status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING


def test_an_amount_that_differs_is_not_confirmed(client, payu, started):
    payment, order_id = started
    body, header = payu.notification(order_id, "COMPLETED", totalAmount="100")
    assert notify(client, payment, body, header).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING and payment.confirmed_at is None
    assert "totalAmount" in AuditEvent.objects.get(event="online_payment_notification_refused").details["reason"]


def test_another_currency_or_order_is_not_confirmed(client, payu, started):
    payment, order_id = started
    for changes in ({"currencyCode": "EUR"}, {"orderId": "SOMEONE-ELSES"}):
        body, header = payu.notification(order_id, "COMPLETED", **changes)
        assert notify(client, payment, body, header).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING


def test_a_duplicated_notification_changes_nothing_the_second_time(client, payu, started):
    payment, order_id = started
    body, header = payu.notification(order_id, "COMPLETED")
    assert notify(client, payment, body, header).status_code == 200
    assert notify(client, payment, body, header).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.events.filter(status=PaymentStatus.CONFIRMED).count() == 1
    assert AuditEvent.objects.filter(event="online_payment_status").count() == 1


def test_out_of_order_notifications_never_leave_a_final_state_nor_go_back(client, payu, started):
    payment, order_id = started
    for status in ("PENDING", "NEW"):  # NEW arrives late: stays PENDING
        body, header = payu.notification(order_id, status)
        assert notify(client, payment, body, header).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INPUT
    for status in ("COMPLETED", "CANCELED", "PENDING"):
        body, header = payu.notification(order_id, status)
        assert notify(client, payment, body, header).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert [e.status for e in payment.events.all()] == ["waiting", "input", "confirmed"]


def test_a_notification_before_the_customer_returns(alice_client, payu, started):
    payment, order_id = started
    payu.set_status(order_id, "COMPLETED")
    assert payu.deliver_via(alice_client, payment, order_id) == 200
    requests_before = len(payu.requests)
    page = alice_client.get(reverse("onlinepay:return", args=[payment.reference]))
    assert "Zapłacone. Dziękujemy!" in page.content.decode()
    assert len(payu.requests) == requests_before  # final already: the gateway is not asked again
