"""The contract's rule for ordered-power changes: a date it does not allow is refused with the
reason and the earliest allowed date; the edge days on both sides of the filing deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from heat.models import HeatRequest, Kind, PowerChangeRule

URL = f"/dyspozycje/{Kind.POWER}/"
D = dt.date


@pytest.fixture
def veolia(db):
    return PowerChangeRule.objects.get(is_active=True)  # seeded: by 30 June for 1 October


@pytest.fixture
def gdynia(db):
    PowerChangeRule.objects.update(is_active=False)
    rule = PowerChangeRule.objects.get(utility__startswith="OPEC Gdynia")
    rule.is_active = True
    rule.save()
    return rule


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (D(2026, 6, 30), D(2026, 10, 1)),  # the last day to file for this October
        (D(2026, 7, 1), D(2027, 10, 1)),  # a day late: next year's
        (D(2026, 1, 1), D(2026, 10, 1)),
        (D(2026, 10, 1), D(2027, 10, 1)),
        (D(2026, 12, 31), D(2027, 10, 1)),
    ],
)
def test_veolia_lodz_by_30_june_for_1_october(veolia, today, earliest):
    assert (veolia.deadline_month, veolia.deadline_day, veolia.effective_month, veolia.effective_day) == (6, 30, 10, 1)
    assert veolia.earliest(today) == earliest


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (D(2026, 9, 30), D(2027, 1, 1)),
        (D(2026, 10, 1), D(2028, 1, 1)),
        (D(2026, 1, 1), D(2027, 1, 1)),
        (D(2025, 12, 31), D(2027, 1, 1)),  # 1 January 2026 needed filing by 30 September 2025
    ],
)
def test_opec_gdynia_by_30_september_for_1_january(gdynia, today, earliest):
    assert gdynia.earliest(today) == earliest
    assert gdynia.deadline_for(D(2027, 1, 1)) == D(2026, 9, 30)


def test_a_rule_refuses_29_february(db):
    rule = PowerChangeRule(utility="X", deadline_day=29, deadline_month=2, effective_day=1, effective_month=4)
    with pytest.raises(Exception, match="29 lutego"):
        rule.full_clean()


def test_only_one_rule_is_active(veolia):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PowerChangeRule.objects.filter(is_active=False).update(is_active=True)


def _post(client, point, day: str, power="0,300"):
    return client.post(URL, {"point": point.pk, "new_power": power, "effective_from": day})


def test_the_form_shows_the_current_power_and_offers_the_earliest_date(alice_client, alice_points, veolia, today):
    response = alice_client.get(URL)
    page = response.content.decode()
    assert "0,250 MW" in page  # the current value of each point
    assert response.context["form"]["effective_from"].value() == D(2027, 10, 1)  # 24.11.2026 is past 30 June


def test_a_date_past_the_deadline_is_refused_with_the_earliest_allowed(alice_client, alice_points, veolia, today):
    response = _post(alice_client, alice_points[0], "2026-10-01")
    errors = response.context["form"].errors["effective_from"]
    assert errors == [
        "Zmianę od 01.10.2026 trzeba było zgłosić do 30.06.2026. Najwcześniejszy możliwy termin: 01.10.2027."
    ]
    assert 'value="0,300"' in response.content.decode()  # what was typed stays
    assert not HeatRequest.objects.exists()


def test_a_day_other_than_the_effective_day_is_refused_with_the_earliest_allowed(
    alice_client, alice_points, veolia, today
):
    errors = _post(alice_client, alice_points[0], "2027-11-01").context["form"].errors["effective_from"]
    assert errors == [
        "Według umowy moc zamówiona zmienia się tylko od 01.10. Najwcześniejszy możliwy termin: 01.10.2027."
    ]


def test_on_the_deadline_day_the_same_years_date_is_allowed(alice_client, alice_points, veolia, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 30, 21, 30, tzinfo=dt.UTC))  # 23:30 in Warsaw, still 30 June
    assert _post(alice_client, alice_points[0], "2026-10-01").status_code == 302
    req = HeatRequest.objects.get()
    assert req.effective_from == D(2026, 10, 1)
    assert req.data == {"current_mw": "0.250", "new_mw": "0.300"}


def test_a_day_after_the_deadline_it_is_refused(alice_client, alice_points, veolia, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC))  # 00:30 on 1 July in Warsaw
    errors = _post(alice_client, alice_points[0], "2026-10-01").context["form"].errors["effective_from"]
    assert errors[0].endswith("Najwcześniejszy możliwy termin: 01.10.2027.")


def test_the_new_power_must_differ_from_the_current_one(alice_client, alice_points, veolia, today):
    errors = _post(alice_client, alice_points[0], "2027-10-01", power="0,25").context["form"].errors
    assert errors["new_power"] == ["To jest obecna moc zamówiona tego punktu: podaj nową."]
    errors = _post(alice_client, alice_points[0], "2027-10-01", power="0").context["form"].errors
    assert errors["new_power"] == ["Moc zamówiona musi być większa od zera."]
    errors = _post(alice_client, alice_points[0], "2027-10-01", power="0,1234").context["form"].errors
    assert errors["new_power"] == ["Wpisz najwyżej trzy cyfry po przecinku, np. 0,150."]


def test_a_change_of_the_rule_in_the_admin_applies_to_the_next_request(alice_client, alice_points, gdynia, today):
    assert _post(alice_client, alice_points[0], "2027-10-01").status_code == 200
    assert _post(alice_client, alice_points[0], "2028-01-01").status_code == 302
    assert HeatRequest.objects.get().data["new_mw"] == str(Decimal("0.300"))
