import datetime as dt
import io

import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.pages import login_redirect


def _url(number):
    return f"/platnosci/qr/{number}.svg"


def _segno_svg(payload: str) -> bytes:
    """The code as the recommendation asks for it (level L, no micro QR), drawn by segno itself."""
    buffer = io.BytesIO()
    code = segno.make(payload, error="L", micro=False, boost_error=False)
    code.save(buffer, kind="svg", scale=4, border=4, xmldecl=True, svgclass=None, lineclass=None)
    return buffer.getvalue()


def test_an_open_document_gets_its_qr_image_privately_cached(alice_client, alice, settings):
    settings.EBOK_UTILITY_NIP = "8170004774"
    settings.EBOK_UTILITY_SHORT_NAME = "MPEC Testowo"
    factories.make_document(alice.customer, "FV/OPEN", gross="150.00", issue_date=dt.date(2026, 11, 20))
    factories.make_payment(alice.customer, "50.00")
    response = alice_client.get(_url("FV/OPEN"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=300"
    # What is still due (100,00 zł in grosze), to the customer's own account, titled number then customer.
    assert alice.customer.bank_account == "31102053560000000000100001"
    payload = "8170004774|PL|31102053560000000000100001|010000|MPEC Testowo|FV/OPEN 100001|||"
    assert response.content == _segno_svg(payload)


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
