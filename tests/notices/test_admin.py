"""Staff read the notice and reminder records in the admin; nobody can change them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import DocumentNotice, PaymentReminder
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_see_the_records_and_cannot_add_any(client, alice):
    doc = factories.make_document(alice.customer, "FV/2026/11/77", imported_at=timezone.now())
    DocumentNotice.objects.create(user=alice, customer=alice.customer, document=doc, pdf_attached=True)
    PaymentReminder.objects.create(user=alice, customer=alice.customer, document=doc, rest="123.00")
    factories.login_staff(client, factories.make_staff(superuser=True))
    for model in ("documentnotice", "paymentreminder"):
        page = client.get(reverse(f"admin:notices_{model}_changelist"))
        assert page.status_code == 200 and "FV/2026/11/77" in page.content.decode()
        assert client.get(reverse(f"admin:notices_{model}_add")).status_code == 403
