"""Staff see online payments in the admin, filtered by state and date; nobody edits them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from payments import PaymentStatus

from onlinepay.models import OnlinePayment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def payments(alice, bob):
    paid = OnlinePayment.objects.create(variant="payu", customer=alice.customer, currency="PLN", total="123.00")
    paid.lines.create(document_number="FV/2026/10/1", amount="123.00")
    paid.change_status(PaymentStatus.CONFIRMED, source="notification", gateway_status="COMPLETED")
    old = OnlinePayment.objects.create(variant="payu", customer=bob.customer, currency="PLN", total="50.00")
    OnlinePayment.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=60))
    return paid, old


def test_staff_filter_by_state_and_date_and_see_each_change(client, payments):
    paid, old = payments
    factories.login_staff(client, factories.make_staff(superuser=True))
    url = reverse("admin:onlinepay_onlinepayment_changelist")
    page = client.get(url, {"status__exact": "confirmed"}).content.decode()
    assert paid.reference in page and old.reference not in page
    page = client.get(url, {"created__gte": (timezone.now() - dt.timedelta(days=7)).isoformat()}).content.decode()
    assert paid.reference in page and old.reference not in page
    detail = client.get(reverse("admin:onlinepay_onlinepayment_change", args=[paid.pk])).content.decode()
    assert "FV/2026/10/1" in detail and "COMPLETED" in detail
    assert client.get(reverse("admin:onlinepay_onlinepayment_add")).status_code == 403
    response = client.post(reverse("admin:onlinepay_onlinepayment_change", args=[paid.pk]), {"status": "rejected"})
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.CONFIRMED, response.status_code
