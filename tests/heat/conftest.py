from __future__ import annotations

from decimal import Decimal

import pytest

from billing.models import DeliveryPoint
from tests import factories


@pytest.fixture
def alice_points(alice):
    """Two points with c.o. and one with only hot water (c.w.u.), which heating requests never offer."""
    contract = factories.make_contract(alice.customer, ordered_power_mw=Decimal("0.250"))
    return [
        factories.make_point(contract, "PO-A1", kind=DeliveryPoint.Kind.HEATING),
        factories.make_point(contract, "PO-A2", kind=DeliveryPoint.Kind.BOTH, street="Długa 5"),
        factories.make_point(contract, "PO-A3", kind=DeliveryPoint.Kind.HOT_WATER, street="Krótka 1"),
    ]


@pytest.fixture
def bob_point(bob):
    return factories.make_point(factories.make_contract(bob.customer), "PO-B1", kind=DeliveryPoint.Kind.HEATING)


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client
