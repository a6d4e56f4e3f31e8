"""Staff enter an interruption in the admin: on save the affected points are listed and told."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from ebok.models import OutboundEmail
from outages.models import Interruption
from tests import factories

ADD = "/admin/outages/interruption/add/"


@pytest.fixture
def staff_client(client, case_staff):
    factories.login_staff(client, case_staff)
    return client


def _form(**kw):
    data = {
        "kind": "awaria",
        "starts_at_0": "2026-11-24",
        "starts_at_1": "08:00",
        "expected_end_at_0": "2026-11-24",
        "expected_end_at_1": "20:00",
        "ended_at_0": "",
        "ended_at_1": "",
        "description": "Awaria w węźle W-305.",
        "announced_at_0": "2026-11-24",
        "announced_at_1": "08:00",
        "ref": "",
        "substation": "W-305",
        "streets-TOTAL_FORMS": "1",
        "streets-INITIAL_FORMS": "0",
        "streets-MIN_NUM_FORMS": "0",
        "streets-MAX_NUM_FORMS": "1000",
        "streets-0-city": "",
        "streets-0-street": "",
    }
    data.update(kw)
    return data


def test_the_customer_service_group_may_enter_interruptions(case_staff):
    assert case_staff.has_perm("outages.add_interruption") and case_staff.has_perm("outages.change_interruption")
    assert Permission.objects.filter(codename="delete_interruption", group__name="Obsługa klienta").count() == 0


def test_saving_lists_the_affected_points_and_emails_their_logins_once(
    today, staff_client, alice_point, carol, bob_point
):
    response = staff_client.post(ADD, _form(), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Przerwa obejmuje 2 punkty odbioru." in page or "Przerwa obejmuje 2 punktów odbioru." in page
    interruption = Interruption.objects.get()
    assert sorted(a for row in OutboundEmail.objects.all() for a in row.to) == ["alice@example.pl", "carol@example.pl"]
    change = staff_client.get(f"/admin/outages/interruption/{interruption.pk}/change/").content.decode()
    assert "PO-ALICE-1" in change and "PO-CAROL-1" in change and "PO-BOB-1" not in change
    # Saved again unchanged: nobody is told twice.
    staff_client.post(f"/admin/outages/interruption/{interruption.pk}/change/", _form(), follow=True)
    assert OutboundEmail.objects.count() == 2
    # A new expected end: one more each.
    staff_client.post(
        f"/admin/outages/interruption/{interruption.pk}/change/", _form(**{"expected_end_at_1": "22:00"}), follow=True
    )
    assert OutboundEmail.objects.filter(template="outages-end-changed").count() == 2


def test_an_end_before_the_start_is_refused_with_a_message(today, staff_client, alice_point):
    response = staff_client.post(ADD, _form(**{"expected_end_at_1": "07:00"}))
    assert response.status_code == 200
    assert "Przewidywany koniec musi być późniejszy niż początek." in response.content.decode()
    assert not Interruption.objects.exists()


def test_streets_entered_in_the_admin_resolve_too(today, staff_client, alice_point, bob_point):
    staff_client.post(ADD, _form(substation="", **{"streets-0-city": "Mielec", "streets-0-street": "Kościuszki"}))
    assert [a for row in OutboundEmail.objects.all() for a in row.to] == ["bob@example.pl"]
