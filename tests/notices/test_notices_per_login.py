"""Notices per login (#12): a login reaching several customers gets one e-mail listing them all,
each customer with its own PDFs, transfer details and links naming it; nobody hears of a customer
it has no live access to."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import CustomerAccess
from billing.validators import format_nrb
from notices.models import DocumentNotice, PaymentReminder
from notices.services import send_document_notices, send_payment_reminders
from tests import factories
from tests.exchange.export_builder import pdf_bytes
from tests.notices.conftest import with_e_invoices

pytestmark = pytest.mark.django_db
Role = CustomerAccess.Role
SITE = "http://127.0.0.1:8000"


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def everything(message) -> str:
    return message.subject + message.body + html_of(message) + str(message.extra_headers)


def by_recipient(outbox) -> dict[str, object]:
    found = {}
    for message in outbox:
        (to,) = message.to
        assert to not in found, f"{to} got two e-mails"
        found[to] = message
    return found


def news(customer, number: str, *, pdf: bool = True):
    kw = {"pdf": factories.write_pdf(f"pdf/{customer.number}.pdf", pdf_bytes(number))} if pdf else {}
    return factories.make_document(customer, number, imported_at=timezone.now(), **kw)


@pytest.fixture
def estate(db):
    """A zarządca: właściciel of 700001 (e-invoices), pełnomocnik of 700002 (e-invoices, its own
    właściciel has them), podgląd of 700003 (paper). 700004: a customer nobody of them reaches.
    Plus a revoked representative of 700001 and a login with no access at all."""
    customers = [factories.make_customer(f"70000{i}", name=f"Wspólnota {i}") for i in range(1, 5)]
    manager = factories.make_login("zarzadca")
    owners = {}
    for customer in customers[1:]:
        owners[customer.number] = factories.make_user(customer, email=f"owner{customer.number}@example.pl")
    # The manager's own customer number (registered by it: its właściciel access).
    CustomerAccess.objects.create(user=manager, customer=customers[0], role=Role.OWNER, source="registration")
    factories.grant(manager, customers[1], Role.PROXY)
    factories.grant(manager, customers[2], Role.VIEWER)
    with_e_invoices(owners["700002"])
    from accounts.services import record_consent

    record_consent(customer=customers[0], kind="e-faktury", given=True, source="rejestracja")
    revoked = factories.make_login("byly", email="byly@example.pl")
    factories.grant(revoked, customers[0], Role.PROXY, revoked_at=timezone.now())
    stranger = factories.make_login("obcy", email="obcy@example.pl")
    return customers, manager, owners, revoked, stranger


def test_a_manager_gets_one_email_listing_all_its_customers_with_the_right_pdfs(estate, send_queued_mail):
    customers, manager, owners, revoked, stranger = estate
    for customer in customers:
        news(customer, f"FV/{customer.number}/1")
    assert send_document_notices() == 4  # the manager, and the owners of 700002, 700003, 700004
    received = by_recipient(send_queued_mail())
    assert set(received) == {manager.email, *(o.email for o in owners.values())}
    message = received[manager.email]
    text = everything(message)
    for number, name in (("700001", "Wspólnota 1"), ("700002", "Wspólnota 2"), ("700003", "Wspólnota 3")):
        assert f"Odbiorca nr {number}: {name}" in message.body
        assert f"{SITE}/odbiorca/{number}/dokumenty/faktura/FV/{number}/1/pdf/" in message.body
        assert f"{SITE}/odbiorca/{number}/dokumenty/" in message.body
    assert "700004" not in text and "Wspólnota 4" not in text  # a customer it does not reach
    # PDFs of the e-invoice customers only (its own and the proxied one), not of the paper one.
    assert sorted(part.get_filename() for part in message.attachments) == ["FV_700001_1.pdf", "FV_700002_1.pdf"]
    assert "Zgodnie z Twoją zgodą na e-faktury" in message.body  # its own customer
    assert "Odbiorca ma e-faktury: dokumenty PDF są w załącznikach" in message.body  # the proxied one
    # It carries an e-invoice of its own customer: mail the law requires, no one-click unsubscribe.
    assert "List-Unsubscribe" not in message.extra_headers
    assert message.subject == "Nowe e-faktury i dokumenty w eBOK"
    # The other owners get their own, naming only their customer.
    for number, owner in owners.items():
        own = everything(received[owner.email])
        assert f"odbiorcy nr {number}:" in own
        assert all(other not in own for other in ("700001", "700002", "700003", "700004") if other != number)
    # The paper customer's owner gets a notice it may switch off; the proxied e-invoice owner its PDF.
    assert "List-Unsubscribe" in received[owners["700003"].email].extra_headers
    assert [part.get_filename() for part in received[owners["700002"].email].attachments] == ["FV_700002_1.pdf"]
    # A revoked representative and a login without access get nothing, and are recorded nowhere.
    assert not DocumentNotice.objects.filter(user__in=[revoked, stranger]).exists()
    assert DocumentNotice.objects.filter(user=manager).count() == 3
    # A second run sends nothing.
    assert send_document_notices() == 0
    assert len(send_queued_mail()) == 4


def test_a_representative_with_notices_off_gets_none_and_the_e_invoice_owner_still_does(estate, send_queued_mail):
    customers, manager, owners, _revoked, _stranger = estate
    manager.notify_documents = False
    manager.save()
    owners["700002"].notify_documents = False
    owners["700002"].save()
    news(customers[1], "FV/700002/1")
    news(customers[2], "FV/700003/1")
    assert send_document_notices() == 2
    received = by_recipient(send_queued_mail())
    # The e-invoice goes to 700002's właściciel whatever it chose; the manager only represents it.
    assert set(received) == {owners["700002"].email, owners["700003"].email}
    assert DocumentNotice.objects.filter(user=manager, email__isnull=True).count() == 2  # knowingly not told
    # With its own e-invoice customer's documents the e-mail goes, and only with what the law requires.
    news(customers[0], "FV/700001/1")
    news(customers[2], "FV/700003/2")
    assert send_document_notices() == 2
    message = by_recipient(send_queued_mail()[2:])[manager.email]
    assert "700001" in message.body and "700003" not in message.body
    assert DocumentNotice.objects.get(user=manager, document_id="FV/700003/2").email is None


def test_access_granted_after_an_import_does_not_bring_the_history(estate, send_queued_mail):
    customers, manager, owners, _revoked, _stranger = estate
    news(customers[3], "FV/700004/1")
    assert send_document_notices() == 1  # its owner only
    assert len(send_queued_mail()) == 1
    factories.grant(manager, customers[3], Role.VIEWER)  # granted after FV/700004/1 came in
    assert send_document_notices() == 0
    news(customers[3], "FV/700004/2")
    assert send_document_notices() == 2
    message = by_recipient(send_queued_mail()[1:])[manager.email]
    assert "FV/700004/2" in message.body and "FV/700004/1" not in message.body


def _managers_with_customers(count: int, prefix: str) -> None:
    """Two managers each with ``count`` customers (half e-invoice), every customer with its owner."""
    for m in range(2):
        manager = factories.make_login(f"{prefix}{m}")
        for i in range(count):
            customer = factories.make_customer()
            owner = factories.make_user(customer)
            if i % 2:
                with_e_invoices(owner)
            factories.grant(manager, customer, Role.PROXY if i % 3 else Role.VIEWER)
            news(customer, f"FV/{customer.number}/1")
            factories.make_other_document(customer, f"L-{customer.number}", imported_at=timezone.now())


def test_a_batch_costs_the_same_queries_for_3_and_12_customers_per_login(send_queued_mail):
    # 12, not more: on SQLite bulk_create splits an INSERT past 999 parameters, a limit of the
    # database, not of the batch.
    counts = []
    for size, prefix in ((3, "a"), (12, "b")):
        _managers_with_customers(size, prefix)
        with CaptureQueriesContext(connection) as queries:
            assert send_document_notices() == 2 + 2 * size  # the two managers and every owner
        counts.append(len(queries))
    assert counts[0] == counts[1]
    sent = send_queued_mail()
    assert len(sent) == 2 * (2 + 3 + 12)


def test_a_small_batch_walks_on_by_login_and_tells_each_once(estate, send_queued_mail):
    customers, manager, owners, _revoked, _stranger = estate
    for customer in customers:
        news(customer, f"FV/{customer.number}/1", pdf=False)
    assert send_document_notices(batch_size=1) == 4
    assert send_document_notices(batch_size=1) == 0
    assert sorted(m.to[0] for m in send_queued_mail()) == sorted([manager.email, *(o.email for o in owners.values())])


# --- reminders --------------------------------------------------------------------------------


def overdue(customer, number: str, gross: str = "246.00"):
    return factories.make_document(
        customer, number, issue_date=dt.date(2026, 10, 20), due_date=dt.date(2026, 11, 3), gross=gross
    )


def test_a_manager_gets_one_reminder_with_each_customers_transfer_details_and_qr(estate, today, payu, send_queued_mail):
    customers, manager, owners, revoked, stranger = estate
    for customer in customers:
        overdue(customer, f"FV/{customer.number}/9")
    plans = send_payment_reminders()
    assert sorted(p.user.email for p in plans) == sorted([manager.email, *(o.email for o in owners.values())])
    received = by_recipient(send_queued_mail())
    assert revoked.email not in received and stranger.email not in received
    message = received[manager.email]
    text = everything(message)
    assert message.subject == "Przypomnienie o płatności: 738,00 zł po terminie"  # the three customers
    assert "700004" not in text and "Wspólnota 4" not in text
    html = html_of(message)
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    images = [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    assert sorted(part["Content-ID"] for part in images) == ["<qr-platnosc-1>", "<qr-platnosc-2>", "<qr-platnosc-3>"]
    for index, customer in enumerate(customers[:3], 1):
        assert f"Odbiorca nr {customer.number}: {customer.name}" in message.body
        assert f"Numer rachunku: {format_nrb(customer.bank_account)}" in message.body
        assert f"Tytuł: FV/{customer.number}/9 {customer.number}" in message.body
        assert f'src="cid:qr-platnosc-{index}"' in html
        assert f"{SITE}/odbiorca/{customer.number}/platnosci/" in message.body
    # Paying is acting: the właściciel and the pełnomocnik get pay links naming their customer, podgląd none.
    assert f"{SITE}/odbiorca/700001/platnosci-online/zaplac/?dokument=FV%2F700001%2F9" in message.body
    assert f"{SITE}/odbiorca/700002/platnosci-online/zaplac/?dokument=FV%2F700002%2F9" in message.body
    assert "/odbiorca/700003/platnosci-online/" not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    # Recorded per login: the owner of 700002 and the manager each once for FV/700002/9.
    assert set(PaymentReminder.objects.filter(document_id="FV/700002/9").values_list("user__email", flat=True)) == {
        manager.email,
        owners["700002"].email,
    }
    assert send_payment_reminders() == []  # the repeat rule holds per login


def test_reminders_respect_each_logins_choice_and_count_per_login(estate, today, send_queued_mail):
    customers, manager, owners, _revoked, _stranger = estate
    overdue(customers[1], "FV/700002/9")
    owners["700002"].notify_reminders = False
    owners["700002"].save()
    (plan,) = send_payment_reminders()
    assert plan.user == manager and [p.customer.number for p in plan.customers] == ["700002"]
    # The owner turns reminders on again: it was never reminded, so it is now; the manager is not again.
    owners["700002"].notify_reminders = True
    owners["700002"].save()
    (plan,) = send_payment_reminders()
    assert plan.user == owners["700002"]
    assert len(send_queued_mail()) == 2


def test_reminder_batches_cost_the_same_queries_for_3_and_30_customers_per_login(today, send_queued_mail):
    counts = []
    for size, prefix in ((3, "a"), (30, "b")):
        for m in range(2):
            manager = factories.make_login(f"{prefix}{m}")
            for _ in range(size):
                customer = factories.make_customer()
                factories.make_user(customer)
                factories.grant(manager, customer)
                overdue(customer, f"FV/{customer.number}/1")
        with CaptureQueriesContext(connection) as queries:
            assert len(send_payment_reminders()) == 2 + 2 * size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(send_queued_mail()) == 2 * (2 + 3 + 30)
