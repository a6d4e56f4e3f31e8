"""Two registrations of one customer at the same moment end with one account.

Runs on PostgreSQL (CI): SQLite serialises writers with a file lock, so there is no race to show.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import registration


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_registrations_end_with_one_account(carol):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions (CI runs it)")
    barrier = threading.Barrier(4)
    statuses = []

    def register(n):
        try:
            barrier.wait()
            response = Client().post(reverse("accounts:register"), registration(email=f"c{n}@example.pl"))
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302, 302, 302]
    assert User.objects.filter(customer=carol).count() == 1
