"""The page the customer comes back to says what happened, asking the gateway when no notification came."""

import pytest
from django.urls import reverse
from payments import PaymentStatus

from onlinepay.models import OnlinePayment

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def started(alice_client, payu, invoices):
    alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number]})
    return OnlinePayment.objects.get(), payu.only_order()["orderId"]


@pytest.mark.parametrize(
    ("gateway", "status", "says"),
    [
        ("COMPLETED", PaymentStatus.CONFIRMED, "Zapłacone. Dziękujemy!"),
        ("PENDING", PaymentStatus.INPUT, "Czekamy na potwierdzenie z banku"),
        ("REJECTED", PaymentStatus.REJECTED, "Płatność odrzucona"),
        ("CANCELED", PaymentStatus.CANCELLED, "Płatność anulowana"),
    ],
)
def test_returning_before_the_notification_asks_the_gateway(alice_client, payu, started, gateway, status, says):
    payment, order_id = started
    payu.set_status(order_id, gateway)
    page = alice_client.get(reverse("onlinepay:return", args=[payment.reference])).content.decode()
    assert says in page
    payment.refresh_from_db()
    assert payment.status == status
    assert payment.events.last().source == "return"
    assert ("Spróbuj ponownie" in page) == (status in (PaymentStatus.REJECTED, PaymentStatus.CANCELLED))


def test_a_failed_payment_with_the_gateway_still_open_offers_to_try_again(alice_client, payu, started):
    payment, _order_id = started
    page = alice_client.get(reverse("onlinepay:return", args=[payment.reference]), {"error": "501"}).content.decode()
    assert "Płatność odrzucona" in page and "Spróbuj ponownie" in page
    retry = f"{reverse('onlinepay:pay')}?dokument=FV%2F2026%2F09%2F000001"
    assert retry in page


def test_the_gateway_down_on_return_shows_the_stored_state(alice_client, payu, started):
    payment, _order_id = started
    payu.stop()
    page = alice_client.get(reverse("onlinepay:return", args=[payment.reference])).content.decode()
    assert "Płatność nie jest jeszcze zakończona" in page
