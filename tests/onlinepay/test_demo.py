"""`make run` (DEBUG, no keys): paying through django-payments' dummy provider, offline."""

import pytest
from django.urls import reverse
from payments import PaymentStatus

from onlinepay.models import OnlinePayment

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.EBOK_ONLINEPAY_DEMO = True


@pytest.mark.parametrize(
    ("choice", "status", "says"),
    [
        ("confirmed", PaymentStatus.CONFIRMED, "Zapłacone. Dziękujemy!"),
        ("rejected", PaymentStatus.REJECTED, "Płatność odrzucona"),
        ("cancelled", PaymentStatus.CANCELLED, "Płatność anulowana"),
    ],
)
def test_the_demo_gateway_pays_rejects_or_cancels(alice_client, demo, invoices, choice, status, says):
    response = alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number]})
    payment = OnlinePayment.objects.get()
    assert payment.variant == "dummy"
    assert response["Location"] == reverse("onlinepay:demo", args=[payment.reference])
    assert "Bramka demonstracyjna" in alice_client.get(response["Location"]).content.decode()
    response = alice_client.post(response["Location"], {"wynik": choice}, follow=True)
    assert says in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == status
    assert [e.status for e in payment.events.all()] == ["waiting", "input", status]


def test_the_demo_page_is_not_there_with_a_real_gateway(alice_client, payu, invoices):
    alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number]})
    payment = OnlinePayment.objects.get()
    assert alice_client.get(reverse("onlinepay:demo", args=[payment.reference])).status_code == 404


def test_a_second_start_in_the_demo_is_refused_while_the_first_is_open(alice_client, demo, invoices):
    """The dummy provider moves a started payment to "waiting for the bank" at once: not offered again."""
    first = alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number]})
    second = alice_client.post(reverse("onlinepay:pay"), {"dokument": [invoices[1].number]})
    payment = OnlinePayment.objects.get()
    assert first["Location"] == reverse("onlinepay:demo", args=[payment.reference])
    assert second.status_code == 400
    assert f"Dokument {invoices[1].number} jest już opłacony albo jego płatność jest w toku." in second.content.decode()
