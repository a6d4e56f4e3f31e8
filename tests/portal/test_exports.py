"""Across all customers of a login (issue #12): open documents as CSV and XLSX, a period's
documents as one ZIP, the cases with a customer column; never a customer the login does not reach."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from accounts.models import CustomerAccess
from tests import factories
from tests.queries import queries_of


@pytest.fixture
def manager_client(client, alice, bob, today):
    manager = factories.make_login("zarzadca")
    factories.grant(manager, alice.customer, CustomerAccess.Role.PROXY)
    factories.grant(manager, bob.customer, CustomerAccess.Role.VIEWER)
    stranger = factories.make_customer("100003", name='=HYPERLINK("http://zlo")')
    factories.make_document(stranger, "FV/OBCY/1", pdf=factories.write_pdf("obcy.pdf"))
    factories.make_document(alice.customer, "FV/A/1", gross="123.45", pdf=factories.write_pdf("a1.pdf"))
    factories.make_document(
        alice.customer, "FV/A/2", gross="10.00", issue_date=dt.date(2026, 9, 1), pdf=factories.write_pdf("a2.pdf")
    )
    factories.make_payment(alice.customer, "10.00")  # pays the older one off
    factories.make_document(bob.customer, "FV/B/1", gross="50.00", pdf=factories.write_pdf("b1.pdf"))
    client.force_login(manager)
    return client


def test_the_csv_lists_every_customers_open_documents_and_no_one_elses(manager_client):
    response = manager_client.get("/moi-odbiorcy/otwarte-dokumenty.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Numer odbiorcy;Nazwa odbiorcy;Numer dokumentu")
    assert any(line.startswith("100001;Alicja Nowak;FV/A/") and "123,45" in line for line in lines)
    assert any(line.startswith("100002;") and "FV/B/1" in line for line in lines)
    assert "FV/OBCY" not in text and "100003" not in text
    assert len(lines) == 1 + 2  # alice's paid document is not open


def test_the_xlsx_holds_the_same_rows_with_numbers_and_dates(manager_client):
    response = manager_client.get("/moi-odbiorcy/otwarte-dokumenty.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Numer odbiorcy"
    assert {r[2] for r in rows[1:]} == {"FV/A/1", "FV/B/1"}
    amount = next(r for r in rows[1:] if r[0] == "100002")[7]
    assert float(amount) == 50.0
    assert isinstance(next(r for r in rows[1:] if r[0] == "100002")[5], dt.datetime)


def test_the_zip_has_a_folder_per_customer_and_no_one_elses(manager_client):
    response = manager_client.get("/moi-odbiorcy/dokumenty.zip", {"zip-rok": "2026"})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"100001/FV_A_1.pdf", "100001/FV_A_2.pdf", "100002/FV_B_1.pdf"} <= names
    assert not any(name.startswith("100003") for name in names)


def test_a_zip_period_error_shows_on_moi_odbiorcy_with_the_dates_kept(manager_client):
    response = manager_client.get("/moi-odbiorcy/dokumenty.zip", {"zip-od": "2026-12-01", "zip-do": "2026-01-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Data początkowa jest późniejsza" in html and 'value="2026-12-01"' in html


def test_the_cases_list_has_a_customer_column_and_links_to_the_customer(manager_client, alice, bob):
    factories.make_case(alice.customer, subject="Grzejnik A")
    case_b = factories.make_case(bob.customer, subject="Grzejnik B")
    factories.make_case(factories.make_customer("100004"), subject="Obca sprawa")
    html = manager_client.get("/moi-odbiorcy/sprawy/").content.decode()
    assert "Grzejnik A" in html and "Grzejnik B" in html and "Obca sprawa" not in html
    assert "100002 Bobex Sp. z o.o." in html
    assert f'href="/odbiorca/100002/sprawy/{case_b.pk}/"' in html
    assert ">Odbiorca</th>" in html and "Lp." not in html  # the customer column instead of the row number


def test_the_exports_cost_the_same_queries_for_more_customers(manager_client, alice):
    first = queries_of(lambda: manager_client.get("/moi-odbiorcy/otwarte-dokumenty.csv"))
    manager = CustomerAccess.objects.filter(role="proxy").first().user
    for n in range(5):
        customer = factories.make_customer(f"40000{n}")
        factories.make_document(customer)
        factories.grant(manager, customer)
    assert queries_of(lambda: manager_client.get("/moi-odbiorcy/otwarte-dokumenty.csv")) == first


def test_a_name_a_spreadsheet_would_run_as_a_formula_stays_text(client, db, today):
    customer = factories.make_customer("100005", name='=HYPERLINK("http://zlo")')
    factories.make_document(customer, "FV/F/1")
    manager = factories.make_login("zarzadca")
    factories.grant(manager, customer)
    client.force_login(manager)
    text = client.get("/moi-odbiorcy/otwarte-dokumenty.csv").content.decode("utf-8-sig")
    assert ";\"'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get("/moi-odbiorcy/otwarte-dokumenty.xlsx").content)).active
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=HYPERLINK")
