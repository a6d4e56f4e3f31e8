import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from meters.models import Reading, SelfReading
from tests import factories


@pytest.fixture
def clerk(db):
    """A staff member in "Obsługa klienta", with only the group's permissions."""
    user = factories.make_staff("bok")
    user.groups.add(Group.objects.get(name="Obsługa klienta"))
    return user


@pytest.fixture
def submission(alice):
    point = factories.make_point(factories.make_contract(alice.customer))
    meter = factories.make_meter(point, "SN-1")
    factories.make_reading(meter, dt.date(2026, 11, 1), "100")
    return SelfReading.objects.create(
        customer=alice.customer, meter=meter, value=Decimal("110"), reading_date=dt.date(2026, 11, 24)
    )


def change_url(obj):
    return reverse("admin:meters_selfreading_change", args=[obj.pk])


def test_accepting_creates_a_customer_reading_for_that_day(client, clerk, submission):
    factories.login_staff(client, clerk)
    response = client.post(change_url(submission), {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.decided_by == clerk
    reading = Reading.objects.get(meter=submission.meter, date=dt.date(2026, 11, 24))
    assert (reading.value, reading.source) == (Decimal("110"), "klient")


def test_accepting_is_refused_when_another_reading_exists_that_day(client, clerk, submission):
    factories.make_reading(submission.meter, dt.date(2026, 11, 24), "108", source="zdalny")
    factories.login_staff(client, clerk)
    response = client.post(change_url(submission), {"decision": "accept", "reason": ""}, follow=True)
    assert "jest już odczyt" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert Reading.objects.get(meter=submission.meter, date=dt.date(2026, 11, 24)).value == Decimal("108")


def test_the_bulk_action_accepts_pending_readings(client, clerk, submission):
    factories.login_staff(client, clerk)
    client.post(
        reverse("admin:meters_selfreading_changelist"),
        {"action": "accept_selected", "_selected_action": [submission.pk]},
    )
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_rejecting_needs_a_reason(client, clerk, submission):
    factories.login_staff(client, clerk)
    response = client.post(change_url(submission), {"decision": "reject", "reason": " "})
    assert response.status_code == 200
    assert "Podaj powód odrzucenia" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_rejecting_e_mails_the_reason_to_the_customer(client, clerk, submission, send_queued_mail):
    factories.login_staff(client, clerk)
    client.post(change_url(submission), {"decision": "reject", "reason": "Nieczytelne zdjęcie"})
    submission.refresh_from_db()
    assert submission.status == "rejected" and not Reading.objects.filter(source="klient").exists()
    [message] = send_queued_mail()
    assert message.to == ["alice@example.pl"]
    assert "SN-1" in message.subject
    assert "Nieczytelne zdjęcie" in message.body


def test_staff_see_the_photo_only_with_the_permission(client, clerk, submission, settings):
    (settings.PRIVATE_ROOT / "self-readings").mkdir()
    (settings.PRIVATE_ROOT / "self-readings" / "p.png").write_bytes(b"\x89PNG\r\n\x1a\nxx")
    submission.photo = "self-readings/p.png"
    submission.save()
    url = reverse("meters:self_reading_photo", args=[submission.pk])
    factories.login_staff(client, clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    factories.login_staff(client, factories.make_staff("nobody"))
    assert client.get(url).status_code == 403


def test_customers_never_see_a_photo(alice_client, submission):
    response = alice_client.get(reverse("meters:self_reading_photo", args=[submission.pk]))
    assert response.status_code == 302  # to the admin login


def test_the_group_can_view_meters_and_change_self_readings_but_not_edit_readings(clerk):
    assert clerk.has_perms(["meters.view_meter", "meters.view_reading", "meters.change_selfreading"])
    assert not clerk.has_perm("meters.change_reading")


def test_the_change_page_shows_the_last_readings_and_the_decision_field(client, clerk, submission):
    factories.login_staff(client, clerk)
    html = client.get(change_url(submission)).content.decode()
    assert "01.11.2026: 100.000" in html
    assert 'name="decision"' in html


def test_behind_nginx_the_photo_goes_by_x_accel_redirect_inline_and_never_to_a_customer(
    client, clerk, submission, alice, settings, caplog
):
    settings.EBOK_X_ACCEL_REDIRECT_PREFIX = "/_private/"
    (settings.PRIVATE_ROOT / "self-readings").mkdir()
    (settings.PRIVATE_ROOT / "self-readings" / "p.png").write_bytes(b"\x89PNG\r\n\x1a\nxx")
    submission.photo = "self-readings/p.png"
    submission.save()
    url = reverse("meters:self_reading_photo", args=[submission.pk])
    client.force_login(alice)
    refused = client.get(url)
    assert refused.status_code == 302 and "X-Accel-Redirect" not in refused
    factories.login_staff(client, clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_private/self-readings/p.png" and response.content == b""
    assert response["Content-Disposition"].startswith(f'inline; filename="odczyt-{submission.pk}.png"')
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    (settings.PRIVATE_ROOT / "self-readings" / "p.png").unlink()
    assert client.get(url).status_code == 404
    assert "self-readings/p.png" in caplog.text
