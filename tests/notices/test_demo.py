"""The demo seeder: two registered demo customers, one with e-invoices, so `make demo-next` shows both e-mails."""

from io import StringIO

import pytest

from accounts.models import ConsentEvent, User
from notices.demo import PASSWORD, seed
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_registers_the_two_demo_customers_once_and_prints_their_logins():
    for number in ("200201", "200202"):
        factories.make_customer(number)
    out = StringIO()
    seed(stdout=out)
    seed(stdout=StringIO())
    anna, jan = User.objects.filter(username__in=["200201", "200202"]).order_by("username")
    assert anna.check_password(PASSWORD) and anna.status == "active"
    assert ConsentEvent.current(anna.customer, "e-faktury") is True
    assert ConsentEvent.current(jan.customer, "e-faktury") is False
    assert ConsentEvent.objects.count() == 6
    assert f"200201 / {PASSWORD} (e-invoices)" in out.getvalue()
    assert f"200202 / {PASSWORD} (paper invoices)" in out.getvalue()


def test_it_does_nothing_without_the_demo_customers():
    seed(stdout=StringIO())
    assert not User.objects.exists()
