"""`export_online_payments --since` (CSV for billing) and `sync_online_payments` (cron)."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from payments import PaymentStatus

from onlinepay.models import OnlinePayment

pytestmark = pytest.mark.usefixtures("today")


def _start(client, *numbers):
    client.post(reverse("onlinepay:pay"), {"dokument": list(numbers)})
    return OnlinePayment.objects.order_by("-created").first()


def _age(payment, minutes=10):
    OnlinePayment.objects.filter(pk=payment.pk).update(created=payment.created - dt.timedelta(minutes=minutes))


def test_sync_asks_the_gateway_about_pending_payments_and_stores_the_answer(alice_client, payu, invoices):
    first = _start(alice_client, invoices[1].number)
    second = _start(alice_client, invoices[2].number)
    _age(first)
    _age(second)
    payu.set_status(first.transaction_id, "COMPLETED")
    payu.set_status(second.transaction_id, "PENDING")
    out = io.StringIO()
    call_command("sync_online_payments", stdout=out)
    assert "asked 2, changed 2, failed 0" in out.getvalue()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PaymentStatus.CONFIRMED and first.events.last().source == "sync"
    assert second.status == PaymentStatus.INPUT
    out = io.StringIO()
    call_command("sync_online_payments", stdout=out)  # the confirmed one is no longer asked about
    assert "asked 1, changed 0, failed 0" in out.getvalue()


def test_sync_leaves_payments_just_started_to_the_notification(alice_client, payu, invoices):
    _start(alice_client, invoices[1].number)
    out = io.StringIO()
    call_command("sync_online_payments", stdout=out)
    assert "asked 0" in out.getvalue()


def test_sync_with_the_gateway_down_fails_for_cron_and_changes_nothing(alice_client, payu, invoices):
    payment = _start(alice_client, invoices[1].number)
    _age(payment)
    payu.stop()
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("sync_online_payments", stdout=out)
    assert "failed 1" in out.getvalue()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING


def test_sync_without_payu_says_so(db):
    out = io.StringIO()
    call_command("sync_online_payments", stdout=out)
    assert "PayU is not configured" in out.getvalue()


def test_export_lists_each_document_of_confirmed_payments_since_the_date(alice_client, payu, invoices, tmp_path):
    payment = _start(alice_client, invoices[1].number, invoices[2].number)
    _start(alice_client, invoices[1].number)  # never paid: not exported
    payu.set_status(payment.transaction_id, "COMPLETED")
    payu.deliver_via(alice_client, payment, payment.transaction_id)
    target = tmp_path / "online.csv"
    call_command("export_online_payments", "--since", "2026-11-24", "--output", str(target), stdout=io.StringIO())
    rows = list(csv.reader(target.open(encoding="utf-8"), delimiter=";"))
    assert rows[0][:5] == ["referencja", "id_zamowienia_payu", "nr_odbiorcy", "nr_dokumentu", "kwota"]
    assert [r[3:5] for r in rows[1:]] == [["FV/2026/09/000001", "123.00"], ["FV/2026/10/000001", "250.00"]]
    assert {r[0] for r in rows[1:]} == {payment.reference} and rows[1][5] == "373.00" and rows[1][6] == "PLN"
    assert rows[1][7].startswith("2026-11-24T")
    out = io.StringIO()
    call_command("export_online_payments", "--since", "2026-11-25", stdout=out)
    assert len(out.getvalue().splitlines()) == 1  # the header only


def test_export_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_online_payments", "--since", "24.11.2026")


def test_export_queries_do_not_grow_with_the_rows(alice_client, payu, invoices):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            call_command("export_online_payments", "--since", "2026-01-01", stdout=io.StringIO())
        return len(ctx)

    payment = _start(alice_client, invoices[1].number)
    payment.change_status(PaymentStatus.CONFIRMED, source="sync")
    few = queries()
    for _ in range(5):
        other = _start(alice_client, invoices[2].number)
        other.change_status(PaymentStatus.CONFIRMED, source="sync")
        OnlinePayment.objects.filter(pk=other.pk).update(booked_at=None)
    assert queries() == few
