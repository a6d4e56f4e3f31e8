import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import page_html
from tests.queries import queries_for_history_sizes

pytestmark = pytest.mark.usefixtures("today")

URL = reverse("billing:payments")
NBSP = "\u00a0"


def test_it_shows_documents_with_amounts_status_ksef_and_the_balance(alice_client, alice):
    c = alice.customer
    factories.make_document(
        c, "FV/2026/09/1", gross="1234.56", vat="234.56", issue_date=dt.date(2026, 9, 1), ksef_number="KSEF-123"
    )
    factories.make_document(c, "FV/2026/11/2", gross="200.00", issue_date=dt.date(2026, 11, 20))
    factories.make_payment(c, "1000.00", title="przelew wrzesien")
    html = alice_client.get(URL).content.decode()
    assert f"1{NBSP}234,56{NBSP}zł" in html
    assert "KSEF-123" in html
    assert "po terminie" in html  # FV/1: 234,56 left after its due date
    assert f"234,56{NBSP}zł" in html
    assert f"434,56{NBSP}zł" in html  # the balance
    assert "przelew wrzesien" in html
    assert "15.09.2026" in html


def test_a_correction_shows_what_it_corrects_and_the_invoice_links_to_it(alice_client, alice):
    c = alice.customer
    invoice = factories.make_document(c, "FV/1", gross="300.00")
    factories.make_document(c, "KOR/1", kind="korekta", gross="-50.00", vat="-9.35", corrects=invoice, pdf="x.pdf")
    html = alice_client.get(URL).content.decode()
    assert "Koryguje: FV/1" in html
    assert 'href="/dokumenty/faktura/KOR/1/pdf/">KOR/1</a>' in html


def test_every_open_document_gets_a_qr_code_with_the_rest_due_and_its_number(alice_client, alice, settings):
    settings.EBOK_UTILITY_NIP = "8170004770"
    settings.EBOK_UTILITY_SHORT_NAME = "MPEC"
    c = alice.customer
    factories.make_document(c, "FV/OPEN", gross="1150.00", issue_date=dt.date(2026, 11, 20))
    factories.make_payment(c, "95.50")
    html = alice_client.get(URL).content.decode()
    assert html.count('<img class="qr-code" src="/platnosci/qr/FV/OPEN.svg"') == 1
    # The text alternative reads the amount as the page prints it.
    assert f"Kod QR do przelewu za dokument FV/OPEN: kwota 1{NBSP}054,50 zł, tytuł FV/OPEN 100001" in html
    assert f"1{NBSP}054,50{NBSP}zł" in html
    assert "FV/OPEN 100001" in html  # the title, in text beside the code
    account = c.bank_account
    assert f"{account[:2]} {account[2:6]} {account[6:10]}" in html


def test_a_paid_document_gets_no_qr_code(alice_client, alice):
    factories.make_document(alice.customer, "FV/PAID", gross="150.00")
    factories.make_payment(alice.customer, "150.00")
    assert 'class="qr-code"' not in alice_client.get(URL).content.decode()


def test_ten_thousand_zloty_or_more_gets_transfer_data_instead_of_a_qr_code(alice_client, alice):
    factories.make_document(alice.customer, "FV/BIG", gross="10000.00", issue_date=dt.date(2026, 11, 20))
    html = alice_client.get(URL).content.decode()
    assert 'class="qr-code"' not in html
    assert "kod QR do przelewu nie może zawierać" in html
    assert f"10{NBSP}000,00{NBSP}zł" in html


def test_it_filters_by_year_and_status(alice_client, alice):
    c = alice.customer
    factories.make_document(c, "FV/2025/OLD", gross="100.00", issue_date=dt.date(2025, 3, 1))
    factories.make_document(c, "FV/2026/NEW", gross="100.00", issue_date=dt.date(2026, 11, 20))
    factories.make_payment(c, "100.00")
    html = alice_client.get(URL, {"rok": "2026"}).content.decode()
    assert "FV/2026/NEW" in html and "FV/2025/OLD" not in html
    html = alice_client.get(URL, {"status": "paid"}).content.decode()
    assert "FV/2025/OLD" in html and "FV/2026/NEW" not in html


def test_a_bad_filter_value_shows_everything_instead_of_failing(alice_client, alice):
    factories.make_document(alice.customer, "FV/X")
    response = alice_client.get(URL, {"rok": "abc", "status": "nonsense"})
    assert response.status_code == 200
    assert "FV/X" in response.content.decode()


def test_the_filter_fields_have_a_label_bootstraps_select_and_the_error_beside_them(alice_client, alice):
    factories.make_document(alice.customer, "FV/X", issue_date=dt.date(2026, 3, 1))
    html = alice_client.get(URL, {"rok": "1999"}).content.decode()
    assert '<label for="id_rok" class="form-label">Rok</label>' in html
    assert (
        '<select name="rok" class="form-select" aria-invalid="true" aria-describedby="id_rok_error" id="id_rok">'
        in html
    )
    assert '<div id="id_rok_error" class="invalid-feedback d-block">' in html
    assert '<option value="2026">2026</option>' in html
    assert '<select name="status" class="form-select" id="id_status">' in html


def test_long_histories_are_paginated(alice_client, alice):
    for i in range(30):
        factories.make_document(alice.customer, f"FV/P/{i:03d}", issue_date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
    first = alice_client.get(URL).content.decode()
    second = alice_client.get(URL, {"strona": 2}).content.decode()
    assert "FV/P/029" in first and "FV/P/000" not in first
    assert "FV/P/000" in second and "Strona 2 z 2" in second


def test_the_payments_pager_counts_the_payments_of_the_chosen_year(alice_client, alice, bob):
    for i in range(30):
        factories.make_payment(
            alice.customer, "1.00", title=f"wplata-2025-{i:02d}", date=dt.date(2025, 1, 1) + dt.timedelta(days=i)
        )
    for i in range(3):
        factories.make_payment(alice.customer, "1.00", title=f"wplata-2026-{i:02d}", date=dt.date(2026, 2, 1))
    factories.make_payment(bob.customer, "1.00", date=dt.date(2026, 2, 1))
    everything = alice_client.get(URL).context["payment_page"]
    assert everything.paginator.count == 33 and everything.paginator.num_pages == 2
    year = alice_client.get(URL, {"rok": "2026"}).context["payment_page"]
    assert year.paginator.count == 3 and {p.title for p in year} == {f"wplata-2026-{i:02d}" for i in range(3)}
    assert alice_client.get(URL, {"rok": "2025", "wplaty": 2}).context["payment_page"].number == 2


def test_it_never_shows_another_customers_documents_or_payments(alice_client, alice, bob):
    factories.make_document(alice.customer, "FV/ALICE")
    factories.make_payment(alice.customer, "11.11", title="alicja przelew")
    factories.make_document(bob.customer, "FV/BOB")
    factories.make_payment(bob.customer, "77.77", title="bob przelew")
    html = page_html(alice_client, URL)
    assert "FV/ALICE" in html and "alicja przelew" in html
    assert "FV/BOB" not in html and "bob przelew" not in html


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big
