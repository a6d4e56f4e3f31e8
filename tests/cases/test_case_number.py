import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from cases import services
from cases.models import CaseNumberCounter, CaseType
from tests import factories


@pytest.mark.django_db
def test_two_numbers_in_a_row_follow_each_other():
    assert CaseNumberCounter.next_number(2026) == "SP/2026/000001"
    assert CaseNumberCounter.next_number(2026) == "SP/2026/000002"


@pytest.mark.django_db
def test_a_new_year_starts_again_from_one():
    CaseNumberCounter.next_number(2026)
    CaseNumberCounter.next_number(2026)
    assert CaseNumberCounter.next_number(2027) == "SP/2027/000001"
    assert CaseNumberCounter.next_number(2026) == "SP/2026/000003"


@pytest.mark.django_db
def test_a_case_sent_on_new_years_eve_and_one_after_midnight_get_their_own_years(alice):
    kind = CaseType.objects.get(name="Inne")
    numbers = [
        services.case_open(
            customer=alice.customer, author=alice, type=kind, subject="s", body="b", now=timezone.make_aware(moment)
        ).number
        for moment in (dt.datetime(2026, 12, 31, 23, 59), dt.datetime(2027, 1, 1, 0, 1), dt.datetime(2027, 1, 2))
    ]
    assert numbers == ["SP/2026/000001", "SP/2027/000001", "SP/2027/000002"]


@pytest.mark.django_db
def test_case_numbers_are_unique(alice):
    first = factories.make_case(alice.customer)
    second = factories.make_case(alice.customer)
    assert first.number != second.number


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_number():
    def take(_):
        try:
            return [CaseNumberCounter.next_number(2026) for _ in range(5)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = [n for batch in pool.map(take, range(4)) for n in batch]
    assert sorted(numbers) == [f"SP/2026/{i:06d}" for i in range(1, 21)]
