import pytest

from cases import demo
from cases.models import Case, Message
from tests import factories


@pytest.mark.django_db
def test_it_creates_cases_in_every_status_with_unread_replies_once():
    customers = [factories.make_customer(f"20000{i}") for i in range(4)]
    factories.make_user(customers[0])
    assert demo.seed() == 3 * len(demo.STORIES)
    assert {c.customer_id for c in Case.objects.all()} == {c.number for c in customers[:3]}
    assert set(Case.objects.values_list("status", flat=True)) == {"nowa", "w_realizacji", "zakonczona"}
    assert Message.objects.filter(from_staff=True, read_at__isnull=True).exists()
    assert demo.seed() == 0
    assert Case.objects.count() == 3 * len(demo.STORIES)


@pytest.mark.django_db
def test_it_does_nothing_without_customers():
    assert demo.seed() == 0


def test_it_is_listed_among_the_demo_seeders(settings):
    assert "cases.demo.seed" in settings.EBOK_DEMO_SEEDERS
