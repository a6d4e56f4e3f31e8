import datetime as dt
from decimal import Decimal

import pytest

from billing.models import Document
from billing.selectors import Status, settle, settlement_for
from tests import factories

pytestmark = pytest.mark.usefixtures("today")

TODAY = dt.date(2026, 11, 24)


def doc(number, gross, due, kind="faktura", corrects=None):
    return Document(
        number=number,
        kind=kind,
        issue_date=due - dt.timedelta(days=14),
        due_date=due,
        gross=Decimal(gross),
        net=Decimal(gross),
        vat=Decimal(0),
        corrects_id=corrects,
    )


def test_payments_settle_the_oldest_documents_first():
    docs = [doc("B", "100", dt.date(2026, 12, 10)), doc("A", "100", dt.date(2026, 11, 10))]
    result = settle(docs, Decimal("150"), on=TODAY).by_number()
    assert (result["A"].paid, result["A"].rest, result["A"].status) == (Decimal(100), Decimal(0), Status.PAID)
    assert (result["B"].paid, result["B"].rest, result["B"].status) == (Decimal(50), Decimal(50), Status.PARTLY_PAID)


def test_an_unpaid_document_after_its_due_date_is_overdue_and_before_it_is_open():
    docs = [doc("A", "100", dt.date(2026, 11, 23)), doc("B", "100", dt.date(2026, 11, 24))]
    result = settle(docs, Decimal(0), on=TODAY).by_number()
    assert result["A"].status == Status.OVERDUE
    assert result["B"].status == Status.OPEN


def test_a_partly_paid_document_past_its_due_date_is_overdue_with_its_rest():
    result = settle([doc("A", "100", dt.date(2026, 11, 1))], Decimal("30"), on=TODAY).by_number()
    assert result["A"].status == Status.OVERDUE
    assert result["A"].rest == Decimal(70)


def test_a_negative_correction_is_a_credit_applied_like_a_payment():
    docs = [
        doc("A", "100", dt.date(2026, 10, 1)),
        doc("K", "-40", dt.date(2026, 10, 20), kind="korekta", corrects="A"),
        doc("B", "100", dt.date(2026, 12, 1)),
    ]
    settlement = settle(docs, Decimal("100"), on=TODAY)
    result = settlement.by_number()
    assert result["K"].status == Status.CREDIT and result["K"].rest == 0
    assert result["A"].status == Status.PAID
    assert (result["B"].paid, result["B"].rest) == (Decimal(40), Decimal(60))
    assert settlement.balance == Decimal(60)
    assert [c.number for c in result["A"].corrections] == ["K"]


def test_overpayment_leaves_every_document_paid_and_a_negative_balance():
    settlement = settle([doc("A", "100", dt.date(2026, 10, 1))], Decimal("130"), on=TODAY)
    assert settlement.documents[0].status == Status.PAID
    assert settlement.balance == Decimal(-30)
    assert settlement.overpayment == Decimal(30)


def test_a_refund_reduces_the_payments_pool():
    settlement = settle([doc("A", "100", dt.date(2026, 10, 1))], Decimal("100") - Decimal("40"), on=TODAY)
    assert settlement.documents[0].rest == Decimal(40)


def test_same_due_date_is_ordered_by_issue_date_then_number():
    a = doc("FV/2", "100", dt.date(2026, 12, 1))
    b = doc("FV/1", "100", dt.date(2026, 12, 1))
    result = settle([a, b], Decimal("100"), on=TODAY).by_number()
    assert result["FV/1"].status == Status.PAID
    assert result["FV/2"].status == Status.OPEN


def test_settlement_for_a_customer_takes_two_queries_and_ignores_other_customers(alice, bob, django_assert_num_queries):
    factories.make_document(alice.customer, "FV/A", gross="100.00", due_date=dt.date(2026, 12, 1))
    factories.make_document(bob.customer, "FV/B", gross="100.00")
    factories.make_payment(bob.customer, "500.00")
    with django_assert_num_queries(2):
        settlement = settlement_for(alice.customer)
    assert [s.document.number for s in settlement.documents] == ["FV/A"]
    assert settlement.balance == Decimal(100)
