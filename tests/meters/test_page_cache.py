"""Meters, readings and self-readings show on the next view of a cached page (ebok.pagecache)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from meters.models import Meter, Reading, SelfReading
from tests import factories
from tests.pagecache import changes_version, page, warm

pytestmark = pytest.mark.usefixtures("today")
METERS, START = reverse("meters:list"), reverse("start")


@pytest.fixture
def meter(alice):
    point = factories.make_point(factories.make_contract(alice.customer), "PO-1")
    meter = factories.make_meter(point, "SN-1")
    factories.make_reading(meter, dt.date(2026, 10, 1), "100.000")
    return meter


def test_a_self_reading_shows_as_waiting_then_as_a_reading_once_staff_accept_it(alice_client, meter):
    warm(alice_client, METERS)
    alice_client.post(reverse("meters:self_reading", args=["SN-1"]), {"value": "123,5"})
    html, state = page(alice_client, METERS)
    assert state == "miss" and "czeka na sprawdzenie" in html
    assert "czeka na sprawdzenie" in warm(alice_client, METERS).content.decode()

    clerk = factories.make_staff("bok")
    clerk.groups.add(Group.objects.get(name="Obsługa klienta"))
    staff = Client()
    factories.login_staff(staff, clerk)
    submission = SelfReading.objects.get()
    staff.post(reverse("admin:meters_selfreading_change", args=[submission.pk]), {"decision": "accept", "reason": ""})
    html, state = page(alice_client, METERS)
    assert state == "miss" and "czeka na sprawdzenie" not in html and "123,500" in html


def test_a_new_reading_from_the_billing_system_shows(alice_client, meter):
    warm(alice_client, METERS)
    factories.make_reading(meter, dt.date(2026, 11, 1), "177.000")
    assert "177,000" in page(alice_client, METERS)[0]


def test_a_legalisation_date_moved_near_warns_on_the_start_page(alice_client, meter):
    assert "SN-1" not in warm(alice_client, START).content.decode()
    meter.legalisation_until = dt.date(2026, 12, 31)
    meter.save()
    html, state = page(alice_client, START)
    assert state == "miss" and "SN-1" in html


def test_saving_or_deleting_any_meters_row_bumps_its_customer_only(transactional_db):
    alice = factories.make_customer("100001")
    factories.make_customer("100002")
    point = factories.make_point(factories.make_contract(alice))
    assert changes_version(alice, lambda: factories.make_meter(point, "SN-9"))
    meter = Meter.objects.get(serial="SN-9")
    assert changes_version(alice, lambda: factories.make_reading(meter, dt.date(2026, 10, 1), "100"))
    assert changes_version(
        alice,
        lambda: SelfReading.objects.create(
            customer=alice, meter=meter, value=Decimal("101"), reading_date=dt.date(2026, 11, 24)
        ),
    )
    for row in (SelfReading.objects.get(), Reading.objects.get(), meter):
        assert changes_version(alice, row.save), row
        assert changes_version(alice, row.delete), row


def test_a_meter_moved_to_another_customer_leaves_the_first_ones_page(alice_client, alice, bob, meter):
    assert "SN-1" in warm(alice_client, METERS).content.decode()
    meter.customer = bob.customer
    meter.delivery_point = factories.make_point(factories.make_contract(bob.customer), "PO-B")
    meter.save()
    assert "SN-1" not in page(alice_client, METERS)[0]
