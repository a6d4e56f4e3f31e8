"""The typed forms: each kind's own fields and validation; a bad submit keeps what was typed."""

from __future__ import annotations

import pytest

from cases.models import Case
from heat.models import HeatRequest, Kind
from tests import factories
from tests.pages import login_redirect

pytestmark = pytest.mark.usefixtures("today")  # 24.11.2026, noon in Warsaw


def url(kind: str) -> str:
    return f"/dyspozycje/{kind}/"


def test_it_files_a_heating_start_for_two_points_as_a_case_with_its_deadline(
    alice_client, alice_points, send_queued_mail
):
    response = alice_client.post(
        url(Kind.HEATING_START),
        {"points": ["PO-A1", "PO-A2"], "date": "2026-11-25", "time": "06:00", "comment": "Klatki A i B"},
    )
    req = HeatRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sprawy/{req.case_id}/"
    assert [p.code for p in req.delivery_points.order_by("code")] == ["PO-A1", "PO-A2"]
    assert req.case.customer == alice_points[0].customer
    assert req.status == HeatRequest.Status.FILED
    page = alice_client.get(response["Location"]).content.decode()
    assert "realizacja do 25.11.2026 14:00" in page  # 8 hours from the requested 06:00
    assert "PO-A1: Pisarka 20" in page and "PO-A2: Długa 5" in page
    assert "Klatki A i B" in page
    to_alice = [m.subject for m in send_queued_mail() if m.to == ["alice@example.pl"]]
    assert to_alice == [f"Przyjęliśmy sprawę {req.case.number} (odbiorca 100001)"]


def test_heating_forms_offer_only_points_with_central_heating(alice_client, alice_points):
    for kind in (Kind.HEATING_START, Kind.HEATING_STOP, Kind.CONTROLLER, Kind.REFILL):
        offered = [p.code for p in alice_client.get(url(kind)).context["form"].fields["points"].queryset]
        assert offered == ["PO-A1", "PO-A2"], kind


def test_a_heating_start_in_the_past_is_refused_and_keeps_what_was_typed(alice_client, alice_points):
    response = alice_client.post(
        url(Kind.HEATING_START), {"points": ["PO-A2"], "date": "2026-11-23", "time": "07:30", "comment": "pilne"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date"] == ["Termin nie może być w przeszłości."]
    page = response.content.decode()
    assert 'value="2026-11-23"' in page and 'value="07:30"' in page and "pilne" in page
    assert form["points"].value() == ["PO-A2"]
    assert page.count("checked") == 1
    assert not Case.objects.exists()


def test_a_heating_request_without_points_date_or_time_names_each(alice_client, alice_points):
    form = alice_client.post(url(Kind.HEATING_STOP), {}).context["form"]
    assert form.errors["points"] == ["Zaznacz co najmniej jeden punkt odbioru."]
    assert form.errors["date"] == ["Podaj datę."]
    assert form.errors["time"] == ["Podaj godzinę."]


def test_a_garbled_time_gets_a_clear_error(alice_client, alice_points):
    form = alice_client.post(url(Kind.HEATING_START), {"points": ["PO-A1"], "date": "2026-11-25", "time": "6"}).context[
        "form"
    ]
    assert form.errors["time"] == ["Wpisz godzinę w postaci GG:MM, np. 08:00."]


def test_the_errors_are_translated(alice_client, alice_points):
    alice_client.cookies["django_language"] = "en"
    form = alice_client.post(url(Kind.HEATING_START), {"date": "2026-11-23", "time": "07:30"}).context["form"]
    assert form.errors["points"] == ["Select at least one delivery point."]
    assert form.errors["date"] == ["The date cannot be in the past."]


def test_the_controller_defaults_to_15_degrees_and_stores_the_setbacks(alice_client, alice_points):
    response = alice_client.get(url(Kind.CONTROLLER))
    assert 'value="15"' in response.content.decode()
    response = alice_client.post(
        url(Kind.CONTROLLER),
        {
            "points": ["PO-A1"],
            "switch_on": "14,5",
            "night": "on",
            "night_from": "22:00",
            "night_to": "05:00",
            "night_lower": "3",
        },
    )
    assert response.status_code == 302
    req = HeatRequest.objects.get()
    assert req.data == {
        "switch_on_c": "14.5",
        "night": {"from": "22:00", "to": "05:00", "lower_c": "3.0"},
        "weekend": None,
    }
    page = alice_client.get(response["Location"]).content.decode()
    assert "14,5 °C" in page and "22:00–05:00, obniżenie o 3,0 °C" in page
    assert "realizacja do 27.11.2026" in page  # three days, counted from filing


def test_a_setback_switched_on_needs_its_hours_and_temperature(alice_client, alice_points):
    response = alice_client.post(
        url(Kind.CONTROLLER),
        {
            "points": ["PO-A1"],
            "switch_on": "15",
            "weekend": "on",
            "weekend_from": "",
            "weekend_to": "",
            "weekend_lower": "",
        },
    )
    errors = response.context["form"].errors
    assert errors["weekend_from"] == ["Podaj godzinę początku obniżenia."]
    assert errors["weekend_to"] == ["Podaj godzinę końca obniżenia."]
    assert errors["weekend_lower"] == ["Podaj, o ile stopni obniżyć temperaturę."]
    assert not HeatRequest.objects.exists()


def test_the_controller_refuses_a_switch_on_temperature_out_of_range_and_equal_hours(alice_client, alice_points):
    errors = (
        alice_client.post(
            url(Kind.CONTROLLER),
            {
                "points": ["PO-A1"],
                "switch_on": "30",
                "night": "on",
                "night_from": "22:00",
                "night_to": "22:00",
                "night_lower": "2",
            },
        )
        .context["form"]
        .errors
    )
    assert errors["switch_on"] == ["Temperatura może wynosić najwyżej 20 °C."]
    assert errors["night_to"] == ["Koniec obniżenia musi być o innej godzinie niż początek."]


def test_a_refill_takes_an_optional_volume(alice_client, alice_points):
    data = {"points": ["PO-A2"], "date": "2026-11-24", "time": "15:00", "volume": "-2"}
    errors = alice_client.post(url(Kind.REFILL), data).context["form"].errors
    assert errors["volume"] == ["Wpisz ilość jako liczbę, np. 2,5."]
    assert alice_client.post(url(Kind.REFILL), {**data, "volume": "2,5"}).status_code == 302
    req = HeatRequest.objects.get()
    assert req.data == {"volume_m3": "2.5"}
    assert req.due_at.isoformat().startswith("2026-11-25T14:00")  # 24 h from 15:00 Warsaw, in UTC


def test_an_interruption_must_end_after_it_starts_and_last_at_most_14_days(alice_client, alice_points):
    base = {"points": ["PO-A3"], "start_date": "2026-11-30", "start_time": "08:00", "works": "Wymiana pionu"}
    errors = (
        alice_client.post(url(Kind.INTERRUPTION), {**base, "end_date": "2026-11-30", "end_time": "07:00"})
        .context["form"]
        .errors
    )
    assert errors["end_date"] == ["Koniec przerwy musi być później niż jej początek."]
    errors = (
        alice_client.post(url(Kind.INTERRUPTION), {**base, "end_date": "2026-12-15", "end_time": "09:00"})
        .context["form"]
        .errors
    )
    assert errors["end_date"] == ["Przerwa może trwać najwyżej 14 dni."]
    response = alice_client.post(url(Kind.INTERRUPTION), {**base, "end_date": "2026-11-30", "end_time": "16:00"})
    assert response.status_code == 302
    page = alice_client.get(response["Location"]).content.decode()
    assert "odpowiedź do 01.12.2026" in page and "Wymiana pionu" in page


def test_a_complaint_names_a_document_and_what_is_wrong(alice_client, alice):
    document = factories.make_document(alice.customer, "FV/2026/11/000123")
    errors = alice_client.post(url(Kind.COMPLAINT), {"document": document.pk}).context["form"].errors
    assert errors["reason"] == ["Wybierz, co jest nie tak."]
    assert errors["description"] == ["Opisz, co jest nie tak z dokumentem."]
    response = alice_client.post(
        url(Kind.COMPLAINT),
        {"document": document.pk, "reason": "odczyt", "description": "Odczyt 1234 GJ, na fakturze 1324 GJ."},
        follow=True,
    )
    req = HeatRequest.objects.get()
    assert req.document == document
    page = response.content.decode()
    assert "odpowiedź do 08.12.2026" in page  # 14 days
    assert "FV/2026/11/000123" in page and "błędny odczyt lub zużycie" in page


def test_a_complaint_with_an_attachment_keeps_it_in_the_case(alice_client, alice):
    document = factories.make_document(alice.customer)
    alice_client.post(
        url(Kind.COMPLAINT),
        {"document": document.pk, "reason": "inne", "description": "Zły adres.", "attachments": factories.upload()},
    )
    assert HeatRequest.objects.get().case.messages.get().attachments.get().filename == "skan.pdf"


def test_an_unknown_kind_is_not_found(alice_client):
    assert alice_client.get("/dyspozycje/cos-innego/").status_code == 404


def test_the_forms_need_a_login(client, db):
    response = client.get(url(Kind.HEATING_START))
    assert response.status_code == 302
    assert response["Location"] == login_redirect(url(Kind.HEATING_START))


def test_a_customer_without_central_heating_is_told_so(alice_client, alice):
    factories.make_point(factories.make_contract(alice.customer), kind="cwu")
    page = alice_client.get(url(Kind.HEATING_START)).content.decode()
    assert "Żaden z Twoich punktów odbioru nie ma centralnego ogrzewania" in page
    assert 'enctype="multipart/form-data"' not in page


def test_a_customer_without_points_cannot_ask_for_a_power_change(alice_client, alice):
    page = alice_client.get(url(Kind.POWER)).content.decode()
    assert "Nie masz punktów odbioru, których mogłaby dotyczyć ta dyspozycja." in page
    assert 'enctype="multipart/form-data"' not in page
