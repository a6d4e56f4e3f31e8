import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meters.models import SelfReading
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


@pytest.fixture
def meter(alice):
    point = factories.make_point(factories.make_contract(alice.customer), "PO-1")
    meter = factories.make_meter(point, "SN-1")
    # Largest monthly consumption so far: 20 GJ.
    factories.make_reading(meter, dt.date(2026, 9, 1), "100.000")
    factories.make_reading(meter, dt.date(2026, 10, 1), "110.000")
    factories.make_reading(meter, dt.date(2026, 11, 1), "130.000")
    return meter


def url(serial="SN-1"):
    return reverse("meters:self_reading", args=[serial])


def test_it_shows_the_form_with_the_last_reading(alice_client, meter):
    html = alice_client.get(url()).content.decode()
    assert "130,000" in html and "01.11.2026" in html
    assert 'inputmode="decimal"' in html
    assert '<input type="text" name="value"' in html  # a number input would refuse "4 506,900"


def test_a_valid_reading_with_a_decimal_comma_is_stored_as_pending(alice_client, alice, meter, time_machine):
    # 23:30 UTC is half past midnight of the next day in Warsaw: the reading takes Warsaw's date.
    time_machine.move_to(dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC), tick=False)
    response = alice_client.post(url(), {"value": "140,5"})
    assert response.status_code == 302
    saved = SelfReading.objects.get()
    assert saved.value == 140.5 and saved.status == "pending" and saved.customer_id == alice.customer.pk
    assert saved.reading_date == dt.date(2026, 11, 24)


def test_a_photo_is_checked_by_content_and_stored_privately(alice_client, meter, settings):
    photo = SimpleUploadedFile("licznik.png", PNG, content_type="image/png")
    assert alice_client.post(url(), {"value": "131", "photo": photo}).status_code == 302
    saved = SelfReading.objects.get()
    assert saved.photo.endswith(".png")
    assert (Path(settings.PRIVATE_ROOT) / saved.photo).read_bytes() == PNG


def test_a_file_pretending_to_be_a_jpeg_is_refused_and_the_value_kept(alice_client, meter):
    photo = SimpleUploadedFile("licznik.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = alice_client.post(url(), {"value": "131,25", "photo": photo})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zdjęcie musi być plikiem JPEG lub PNG." in html
    assert 'value="131,25"' in html
    assert not SelfReading.objects.exists()


def test_a_photo_over_5_mb_is_refused(alice_client, meter):
    photo = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (5 * 1024 * 1024), content_type="image/jpeg")
    html = alice_client.post(url(), {"value": "131", "photo": photo}).content.decode()
    assert "Zdjęcie jest większe niż 5 MB." in html


def test_a_value_below_the_last_reading_is_refused_with_a_summary_linking_to_the_field(alice_client, meter):
    html = alice_client.post(url(), {"value": "129"}).content.decode()
    assert "Wskazanie nie może być mniejsze niż ostatni odczyt (130,000)." in html
    assert 'href="#id_value"' in html and "data-error-summary" in html
    assert 'value="129"' in html


def test_an_implausibly_high_value_is_refused_and_kept(alice_client, meter, settings):
    settings.EBOK_SELF_READING_MAX_MULTIPLE = 3
    ok = alice_client.post(url(), {"value": "190"})  # 60 = 3 x 20: still plausible
    assert ok.status_code == 302
    SelfReading.objects.all().delete()
    html = alice_client.post(url(), {"value": "190,001"}).content.decode()
    assert "ponad 3 razy więcej" in html
    assert 'value="190,001"' in html


def test_only_one_pending_reading_per_meter(alice_client, meter):
    assert alice_client.post(url(), {"value": "131"}).status_code == 302
    html = alice_client.post(url(), {"value": "132"}).content.decode()
    assert "czeka już Twój odczyt" in html
    assert SelfReading.objects.count() == 1


def test_garbage_is_refused_with_a_clear_message(alice_client, meter):
    html = alice_client.post(url(), {"value": "dużo"}).content.decode()
    assert "Wpisz wskazanie jako liczbę" in html


def test_another_customers_meter_is_not_found(alice_client, bob):
    point = factories.make_point(factories.make_contract(bob.customer), "PO-BOB")
    factories.make_meter(point, "SN-BOB")
    assert alice_client.get(url("SN-BOB")).status_code == 404
    assert alice_client.post(url("SN-BOB"), {"value": "1"}).status_code == 404
    assert not SelfReading.objects.exists()


def test_a_removed_meter_is_not_found(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer))
    factories.make_meter(point, "OLD", removed_on=dt.date(2025, 1, 1))
    assert alice_client.get(url("OLD")).status_code == 404


def test_the_form_is_csrf_protected(client, alice, meter):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    assert csrf_client.post(url(), {"value": "131"}).status_code == 403


def test_the_form_costs_the_same_queries_whatever_the_history(client, db):
    from tests.queries import queries_for_history_sizes

    small, big = queries_for_history_sizes(client, lambda o: url(o["meter"].serial))
    assert small == big


@pytest.mark.parametrize("typed", ["4 506,900", "4\u00a0506,900", "4\u202f506,9", "4506.9", "4506,900", " 4 506.900 "])
def test_a_reading_is_accepted_as_the_portal_prints_it_or_as_typed_on_a_phone(alice_client, alice, typed):
    point = factories.make_point(factories.make_contract(alice.customer), "PO-2")
    big = factories.make_meter(point, "SN-2")
    factories.make_reading(big, dt.date(2026, 10, 1), "4400.000")
    factories.make_reading(big, dt.date(2026, 11, 1), "4500.000")
    response = alice_client.post(url("SN-2"), {"value": typed})
    assert response.status_code == 302, response.content.decode()
    assert SelfReading.objects.get().value == Decimal("4506.900")


@pytest.mark.parametrize("typed", ["4 50 6,9", "4,506.9", "45 06,9", "4 506,9000"])
def test_digit_groups_out_of_place_are_refused(alice_client, meter, typed):
    html = alice_client.post(url(), {"value": typed}).content.decode()
    assert "Wpisz wskazanie jako liczbę" in html or "najwyżej trzy cyfry po przecinku" in html
    assert not SelfReading.objects.exists()


def test_the_audit_names_the_customer_and_their_address(alice_client, alice, meter):
    from ebok.models import AuditEvent

    assert alice_client.post(url(), {"value": "140"}, REMOTE_ADDR="198.51.100.4").status_code == 302
    event = AuditEvent.objects.get(event="self_reading_submitted")
    assert (event.actor, event.ip, event.customer_number) == (alice.username, "198.51.100.4", alice.customer_id)
