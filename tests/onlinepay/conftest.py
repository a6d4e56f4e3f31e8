import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _fresh_token_cache(db):
    """The OAuth token is cached (shared by processes); each test starts with a new fake and no token."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def invoices(alice):
    """Two open invoices of alice's (123,00 and 250,00 zł) and one she has paid."""
    from tests import factories

    paid = factories.make_document(alice.customer, "FV/2026/08/000001", gross="100.00", issue_date=dt.date(2026, 8, 5))
    factories.make_payment(alice.customer, "100.00")
    first = factories.make_document(alice.customer, "FV/2026/09/000001", gross="123.00", issue_date=dt.date(2026, 9, 5))
    second = factories.make_document(
        alice.customer, "FV/2026/10/000001", gross="250.00", issue_date=dt.date(2026, 10, 5)
    )
    return paid, first, second


def notify(client, payment, body: bytes, header: str):
    return client.post(payment.get_process_url(), body, content_type="application/json", HTTP_OPENPAYU_SIGNATURE=header)
