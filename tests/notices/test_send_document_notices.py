"""New documents by e-mail: once per customer and import, PDFs for e-invoice customers, nothing twice."""

from __future__ import annotations

import socket
from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ebok import mail
from ebok.models import OutboundEmail
from notices.models import DocumentNotice
from notices.services import send_document_notices
from tests import factories
from tests.exchange.export_builder import pdf_bytes
from tests.notices.conftest import next_month, with_e_invoices

pytestmark = pytest.mark.django_db


def by_recipient(outbox) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in outbox:
        for to in message.to:
            found.setdefault(to, []).append(message)
    return found


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_two_imports_and_a_queue_retry_send_each_customer_exactly_one_email(
    registered, import_export, tmp_path, settings, send_queued_mail
):
    second = next_month(tmp_path).write()
    # The first delivery meets an SMTP server that is down (nothing listens on the port).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2

    import_export(second)
    import_export(second)  # the same export again: nothing new
    assert mail.deliver_due() == (0, 2)
    assert OutboundEmail.objects.filter(status="pending", attempts=1).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(next_attempt_at=timezone.now())  # the retry is due
    send_queued_mail()
    send_queued_mail()  # a second sweep finds nothing left
    call_command("send_document_notices", stdout=StringIO())  # cron's safety net: nothing new either

    received = by_recipient(django_mail.outbox)
    assert {to: len(messages) for to, messages in received.items()} == {"alice@example.pl": 1, "bob@example.pl": 1}


def test_e_invoice_customers_get_each_pdf_attached(registered, import_export, tmp_path, settings, send_queued_mail):
    import_export(next_month(tmp_path).write())
    (message,) = by_recipient(send_queued_mail())["alice@example.pl"]
    assert message.subject == "Nowe e-faktury i dokumenty w eBOK"
    # The worker attaches ready MIME parts (ebok.mail.build_message): a name, a type, base64 bytes.
    assert {part.get_content_type() for part in message.attachments} == {"application/pdf"}
    attachments = {part.get_filename(): part.get_payload(decode=True) for part in message.attachments}
    assert attachments == {"FV_100001_2.pdf": pdf_bytes("FV/100001/2"), "Zmiana_taryfy.pdf": pdf_bytes("PISMO-100001")}
    assert "faktura FV/100001/2, kwota 246,00\xa0zł, termin płatności 19.11.2026 (PDF w załączniku)" in message.body
    # The link names the customer (/odbiorca/<number>/): a login may reach several.
    assert f"{settings.EBOK_SITE_URL}/odbiorca/100001/dokumenty/faktura/FV/100001/2/pdf/" in message.body
    assert "papierowych nie wysyłamy" in message.body
    html = html_of(message)
    assert '<html lang="pl">' in html and "FV/100001/2</a>" in html and "w załączniku" in html
    assert set(DocumentNotice.objects.filter(customer_id="100001").values_list("pdf_attached", flat=True)) == {True}


def test_pdfs_above_the_size_limit_go_as_links_only(registered, import_export, tmp_path, settings, send_queued_mail):
    settings.EBOK_EINVOICE_MAX_ATTACHMENT_BYTES = len(pdf_bytes("FV/100001/2"))  # room for the invoice only
    import_export(next_month(tmp_path).write())
    (message,) = by_recipient(send_queued_mail())["alice@example.pl"]
    assert [part.get_filename() for part in message.attachments] == ["FV_100001_2.pdf"]
    assert "Dokumentów zbyt dużych na załącznik nie dołączyliśmy" in message.body
    assert "/dokumenty/pismo/PISMO-100001/pdf/" in message.body
    assert DocumentNotice.objects.get(other_document_id="PISMO-100001").pdf_attached is False


def test_customers_without_the_consent_get_a_notice_without_pdfs(registered, import_export, tmp_path, send_queued_mail):
    import_export(next_month(tmp_path).write())
    (message,) = by_recipient(send_queued_mail())["bob@example.pl"]
    assert message.subject == "Nowe dokumenty w eBOK"
    assert message.attachments == []
    assert "Dokumenty pobierzesz po zalogowaniu do eBOK" in message.body
    assert "faktura FV/100002/2, kwota 246,00\xa0zł, termin płatności 19.11.2026" in message.body
    assert "(PDF w załączniku)" not in message.body


def test_a_customer_never_receives_another_customers_documents(registered, import_export, tmp_path, send_queued_mail):
    import_export(next_month(tmp_path).write())
    received = by_recipient(send_queued_mail())
    alice_text = received["alice@example.pl"][0].body + html_of(received["alice@example.pl"][0])
    bob_text = received["bob@example.pl"][0].body + html_of(received["bob@example.pl"][0])
    assert "100001" in alice_text and "100002" not in alice_text and "100003" not in alice_text
    assert "100002" in bob_text and "100001" not in bob_text and "PISMO" not in bob_text
    assert "100003" not in "".join(received)  # no account, no e-mail


def test_documents_imported_before_registration_are_not_announced(registered, send_queued_mail):
    # The first export (FV/…/1, D-…) came in before alice and bob registered.
    assert send_document_notices() == 0
    assert send_queued_mail() == []


def test_a_dry_run_import_announces_nothing(registered, tmp_path, send_queued_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_billing", str(next_month(tmp_path).write()), "--dry-run", stdout=StringIO())
    assert send_queued_mail() == []
    assert not DocumentNotice.objects.exists()


def test_customers_who_turned_notices_off_get_none_unless_they_chose_e_invoices(
    registered, import_export, tmp_path, send_queued_mail
):
    alice, bob = registered
    for user in (alice, bob):
        user.notify_documents = False
        user.save()
    import_export(next_month(tmp_path).write())
    # E-invoices replace paper: alice still gets hers. Bob asked for no notices.
    assert list(by_recipient(send_queued_mail())) == ["alice@example.pl"]
    # Bob's documents are recorded as handled, so turning notices on later does not flood him.
    assert DocumentNotice.objects.filter(customer_id="100002", email__isnull=True).count() == 1
    bob.notify_documents = True
    bob.save()
    assert send_document_notices() == 0


def test_an_english_preferring_customer_gets_the_email_in_english(
    registered, import_export, tmp_path, send_queued_mail
):
    alice, _bob = registered
    alice.language = "en"
    alice.save()
    import_export(next_month(tmp_path).write())
    (message,) = by_recipient(send_queued_mail())["alice@example.pl"]
    (bob_message,) = by_recipient(send_queued_mail())["bob@example.pl"]
    assert '<html lang="en">' in html_of(message)
    assert '<html lang="pl">' in html_of(bob_message)
    # The catalogue's English, down to the document kinds the worker fills in.
    assert message.body.startswith("Hello,")
    assert "invoice FV/" in message.body and "faktura FV/" not in message.body
    assert "faktura FV/" in bob_message.body


def test_a_crash_half_way_neither_skips_nor_duplicates_a_customer(monkeypatch, send_queued_mail):
    customers = [factories.make_customer(f"3000{i:02d}") for i in range(5)]
    users = [factories.make_user(c, email=f"k{c.number}@example.pl") for c in customers]
    for c in customers:
        factories.make_document(c, f"FV/{c.number}/9", imported_at=timezone.now())
    real_send_many = mail.send_many
    calls = []

    def crashing_send_many(messages):
        emails = real_send_many(messages)  # the batch's e-mails are in the outbox table ...
        calls.append(len(messages))
        if len(calls) == 2:
            raise RuntimeError("worker killed")  # ... and the process dies before recording them
        return emails

    # Fail inside the mail layer the notices depend on, half-way through the batches.
    monkeypatch.setattr(mail, "send_many", crashing_send_many)
    with pytest.raises(RuntimeError, match="worker killed"):
        send_document_notices(batch_size=2)
    assert len(send_queued_mail()) == 2  # the first batch committed; the second rolled back whole

    monkeypatch.setattr(mail, "send_many", real_send_many)
    assert send_document_notices(batch_size=2) == 3
    assert send_document_notices(batch_size=2) == 0
    received = by_recipient(send_queued_mail())
    assert {to: len(m) for to, m in received.items()} == {u.email: 1 for u in users}
    assert DocumentNotice.objects.count() == 5


def _customers_with_news(count: int) -> None:
    for i in range(count):
        customer = factories.make_customer()
        user = factories.make_user(customer)
        if i % 2:
            with_e_invoices(user)
        pdf = factories.write_pdf(f"pdf/{customer.number}.pdf")
        factories.make_document(customer, f"FV/{customer.number}/1", pdf=pdf, imported_at=timezone.now())
        factories.make_other_document(customer, f"L-{customer.number}", pdf=pdf, imported_at=timezone.now())


def test_the_number_of_queries_is_the_same_for_5_and_50_customers(send_queued_mail):
    counts = []
    for size in (5, 50):
        _customers_with_news(size)
        with CaptureQueriesContext(connection) as queries:
            assert send_document_notices() == size
        counts.append(len(queries))
    # Per batch: pick the logins, their access rows, documents (2), what they were told, one
    # INSERT of e-mails, one of records, a savepoint pair; then an empty pick in its own pair.
    assert counts == [12, 12]
    assert len(send_queued_mail()) == 55
