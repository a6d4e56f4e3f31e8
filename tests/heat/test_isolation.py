"""Bob can neither see alice's requests nor file one for her points or documents."""

from __future__ import annotations

import pytest

from heat.models import HeatRequest, Kind
from tests import factories
from tests.heat.factories import file_heating_start

pytestmark = pytest.mark.usefixtures("today")


def test_bob_cannot_open_alices_request(bob_client, alice, alice_points):
    req = file_heating_start(alice.customer, alice_points[:1])
    assert bob_client.get(f"/sprawy/{req.case_id}/").status_code == 404
    assert "PO-A1" not in bob_client.get("/dyspozycje/").content.decode()


def test_bob_is_not_offered_alices_points(bob_client, alice_points, bob_point):
    offered = bob_client.get(f"/dyspozycje/{Kind.HEATING_START}/").context["form"].fields["points"].queryset
    assert [p.code for p in offered] == ["PO-B1"]


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (Kind.HEATING_START, {"points": ["PO-A1"], "date": "2026-11-25", "time": "06:00"}),
        (Kind.HEATING_STOP, {"points": ["PO-B1", "PO-A1"], "date": "2026-11-25", "time": "06:00"}),
        (Kind.CONTROLLER, {"points": ["PO-A2"], "switch_on": "15"}),
        (Kind.POWER, {"point": "PO-A1", "new_power": "0,3", "effective_from": "2027-10-01"}),
        (Kind.REFILL, {"points": ["PO-A1"], "date": "2026-11-25", "time": "06:00"}),
        (
            Kind.INTERRUPTION,
            {
                "points": ["PO-A3"],
                "start_date": "2026-11-30",
                "start_time": "08:00",
                "end_date": "2026-11-30",
                "end_time": "12:00",
                "works": "x",
            },
        ),
    ],
)
def test_bob_cannot_file_for_alices_points(bob_client, alice_points, bob_point, kind, data):
    response = bob_client.post(f"/dyspozycje/{kind}/", data)
    assert response.status_code == 200
    field = "point" if kind == Kind.POWER else "points"
    assert response.context["form"].errors[field] == ["Wybierz punkt odbioru z listy."]
    assert not HeatRequest.objects.exists()


def test_bob_cannot_complain_about_alices_invoice(bob_client, alice, bob):
    document = factories.make_document(alice.customer)
    factories.make_document(bob.customer)  # bob has documents of his own: the list is not empty
    response = bob_client.post(
        f"/dyspozycje/{Kind.COMPLAINT}/", {"document": document.pk, "reason": "inne", "description": "x"}
    )
    assert response.context["form"].errors["document"] == ["Wybierz dokument z listy."]
    assert not HeatRequest.objects.exists()


def test_the_service_refuses_a_foreign_point(alice, bob, bob_point):
    with pytest.raises(ValueError):
        file_heating_start(alice.customer, [bob_point])
