"""The pages online payments touch cost the same queries for a short and a long history."""

import pytest
from django.urls import reverse

from tests.queries import queries_for_history_sizes


@pytest.mark.usefixtures("today", "payu")
@pytest.mark.parametrize("name", ["onlinepay:pay", "billing:payments", "start"])
def test_queries_do_not_grow_with_the_history(client, name):
    counts = queries_for_history_sizes(client, lambda objects: reverse(name))
    assert counts[0] == counts[1], counts


@pytest.mark.usefixtures("today")
def test_the_return_page_costs_the_same_for_many_documents(alice_client, payu, invoices):
    from onlinepay.models import OnlinePayment
    from tests.queries import count_queries

    few = OnlinePayment.objects.create(variant="payu", customer=invoices[1].customer, currency="PLN", total="1.00")
    few.lines.create(document_number="A", amount="1.00")
    many = OnlinePayment.objects.create(variant="payu", customer=invoices[1].customer, currency="PLN", total="30.00")
    for n in range(30):
        many.lines.create(document_number=f"D{n}", amount="1.00")
    counts = [count_queries(alice_client, reverse("onlinepay:return", args=[p.reference])) for p in (few, many)]
    assert counts[0] == counts[1] <= 10, counts
