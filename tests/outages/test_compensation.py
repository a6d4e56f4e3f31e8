"""Beyond the quality standards the point page offers a compensation request, filed as a case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from outages.models import Interruption
from tests.outages.conftest import make_interruption

POINT = reverse("billing:point", args=["PO-ALICE-1"])


@pytest.fixture
def long_outage(alice_point):
    now = timezone.now()
    return make_interruption(
        points=[alice_point], starts_at=now - timedelta(hours=30), expected_end_at=now + timedelta(hours=2)
    )


def test_an_unplanned_interruption_beyond_the_hours_offers_the_request(alice_client, long_outage):
    url = reverse("outages:compensation", args=[long_outage.pk, "PO-ALICE-1"])
    page = alice_client.get(POINT).content.decode()
    assert "Złóż wniosek o bonifikatę" in page and url in page
    form = alice_client.get(url).content.decode()
    assert "Wniosek o bonifikatę: przerwa w dostawie ciepła od" in form
    assert "awaria trwała dłużej niż 24 godzin" in form


def test_the_request_is_filed_as_a_case_of_the_customer(alice_client, alice, long_outage):
    url = reverse("outages:compensation", args=[long_outage.pk, "PO-ALICE-1"])
    initial = alice_client.get(url).context["form"].initial
    data = {
        "type": initial["type"],
        "subject": initial["subject"],
        "body": initial["body"],
        "delivery_point": "PO-ALICE-1",
    }
    response = alice_client.post(url, data)
    case = Case.objects.get(customer=alice.customer)
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.type.name == "Reklamacja" and case.delivery_point_id == "PO-ALICE-1"
    assert "PO-ALICE-1" in case.messages.get().body


def test_a_failed_submit_keeps_what_was_typed(alice_client, long_outage):
    url = reverse("outages:compensation", args=[long_outage.pk, "PO-ALICE-1"])
    response = alice_client.post(url, {"subject": "", "body": "Mój tekst wniosku"})
    assert response.status_code == 200 and "Mój tekst wniosku" in response.content.decode()
    assert not Case.objects.exists()


def test_within_the_standards_there_is_no_request(alice_client, alice_point):
    outage = make_interruption(points=[alice_point])
    assert "bonifikat" not in alice_client.get(POINT).content.decode()
    assert alice_client.get(reverse("outages:compensation", args=[outage.pk, "PO-ALICE-1"])).status_code == 404


def test_a_planned_break_announced_late_or_too_long_breaks_the_standard(alice_point):
    now = timezone.now()
    late = Interruption(
        kind="planowana",
        starts_at=now - timedelta(hours=1),
        expected_end_at=now + timedelta(days=1),
        announced_at=now - timedelta(days=3),
    )
    assert "7 dni" in late.exceeds_standard()
    long = Interruption(
        kind="planowana",
        starts_at=now - timedelta(days=15),
        expected_end_at=now + timedelta(days=1),
        announced_at=now - timedelta(days=30),
    )
    assert "14 dni" in long.exceeds_standard()
    fine = Interruption(
        kind="planowana",
        starts_at=now - timedelta(days=3),
        expected_end_at=now + timedelta(days=1),
        announced_at=now - timedelta(days=10),
    )
    assert fine.exceeds_standard() == ""


def test_the_thresholds_are_settings(alice_point, settings):
    now = timezone.now()
    outage = Interruption(kind="awaria", starts_at=now - timedelta(hours=5), expected_end_at=now + timedelta(hours=1))
    assert outage.exceeds_standard() == ""
    settings.EBOK_OUTAGE_UNPLANNED_MAX_HOURS = 4
    assert "4 godzin" in outage.exceeds_standard()


def test_another_customer_gets_a_404(client, bob, long_outage):
    client.force_login(bob)
    assert client.get(reverse("outages:compensation", args=[long_outage.pk, "PO-ALICE-1"])).status_code == 404
