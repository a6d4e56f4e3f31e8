import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import qr
from tests import factories
from tests.pages import login_redirect


def _url(number):
    return f"/platnosci/qr/{number}.svg"


def test_an_open_document_gets_its_qr_image_privately_cached(alice_client, alice, settings):
    settings.EBOK_UTILITY_NIP = "8170004774"
    factories.make_document(alice.customer, "FV/OPEN", gross="150.00", issue_date=dt.date(2026, 11, 20))
    factories.make_payment(alice.customer, "50.00")
    response = alice_client.get(_url("FV/OPEN"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=300"
    expected = qr.transfer_payload(
        nip="8170004774",
        account=alice.customer.bank_account,
        amount=Decimal("100.00"),
        name=settings.EBOK_UTILITY_SHORT_NAME,
        title="FV/OPEN 100001",
    )
    assert response.content == qr.svg_document(expected)


def test_a_paid_document_has_no_qr_image(alice_client, alice):
    factories.make_document(alice.customer, "FV/PAID", gross="150.00")
    factories.make_payment(alice.customer, "150.00")
    assert alice_client.get(_url("FV/PAID")).status_code == 404


def test_ten_thousand_zloty_or_more_has_no_qr_image(alice_client, alice):
    factories.make_document(alice.customer, "FV/BIG", gross="10000.00")
    assert alice_client.get(_url("FV/BIG")).status_code == 404


def test_another_customers_document_is_not_found(client, alice, bob):
    factories.make_document(alice.customer, "FV/ALICE", gross="150.00")
    client.force_login(bob)
    assert client.get(_url("FV/ALICE")).status_code == 404


def test_the_qr_image_needs_a_login(client, alice):
    factories.make_document(alice.customer, "FV/ALICE", gross="150.00")
    response = client.get(_url("FV/ALICE"))
    assert response.status_code == 302
    assert response["Location"] == login_redirect(_url("FV/ALICE"))


def test_the_qr_image_costs_the_same_queries_for_a_long_history(alice_client, alice):
    factories.make_document(alice.customer, "FV/OPEN", gross="150.00", issue_date=dt.date(2026, 11, 20))
    short = _count(alice_client)
    for month in range(1, 13):
        factories.make_document(alice.customer, f"FV/OLD/{month}", gross="10.00", issue_date=dt.date(2025, month, 1))
        factories.make_payment(alice.customer, "10.00")
    assert _count(alice_client) == short


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("FV/OPEN")).status_code == 200
    return len(queries)
