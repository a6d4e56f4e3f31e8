"""The demo's property manager (issue #12): one login, three customers, three roles."""

from __future__ import annotations

import io

from accounts.demo import MANAGER, MANAGER_PASSWORD, manager
from accounts.models import CustomerAccess
from tests import factories


def test_the_demo_manager_reaches_three_customers_in_three_roles_and_starts_on_moi_odbiorcy(client, db):
    for number in ("200401", "200201", "200202"):
        customer = factories.make_customer(number)
        if number != "200401":
            factories.make_user(customer)
    out = io.StringIO()
    manager(stdout=out)
    manager(stdout=io.StringIO())  # idempotent
    roles = dict(CustomerAccess.objects.active().filter(user__username=MANAGER).values_list("customer_id", "role"))
    assert roles == {"200401": "owner", "200201": "proxy", "200202": "viewer"}
    assert MANAGER in out.getvalue()
    response = client.post("/logowanie/", {"username": MANAGER, "password": MANAGER_PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/moi-odbiorcy/"
