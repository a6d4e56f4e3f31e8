"""Interruptions for the tests: alice's point and a neighbour's on substation W-305, bob's elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from outages import services
from outages.models import AffectedStreet, Interruption
from tests import factories
from tests.ebok.conftest import serve, smtp_port, start_server  # noqa: F401 - the real SMTP server's fixtures


def make_interruption(*, points=(), streets=(), publish=True, **kw) -> Interruption:
    now = timezone.now()
    defaults = {
        "kind": Interruption.Kind.UNPLANNED,
        "starts_at": now - timedelta(hours=1),
        "expected_end_at": now + timedelta(hours=6),
        "description": "Awaria sieci: wymiana odcinka rury.",
    }
    defaults.update(kw)
    interruption = Interruption.objects.create(**defaults)
    interruption.points.set(points)
    for city, street in streets:
        AffectedStreet.objects.create(interruption=interruption, city=city, street=street)
    if publish:
        services.publish(interruption=interruption)
    return interruption


@pytest.fixture
def alice_point(alice):
    contract = factories.make_contract(alice.customer)
    return factories.make_point(contract, "PO-ALICE-1", street="Mickiewicza 26/4", city="Mielec", substation="W-305")


@pytest.fixture
def carol(db):
    """A neighbour on the same substation as alice, with a login of her own."""
    customer = factories.make_customer("100003", name="Karolina Sąsiadka")
    user = factories.make_user(customer, email="carol@example.pl")
    factories.make_point(factories.make_contract(customer), "PO-CAROL-1", street="Mickiewicza 28", substation="W-305")
    return user


@pytest.fixture
def bob_point(bob):
    contract = factories.make_contract(bob.customer)
    return factories.make_point(contract, "PO-BOB-1", street="Kościuszki 41", city="Mielec", substation="W-211")
