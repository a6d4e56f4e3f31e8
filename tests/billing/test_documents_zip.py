import datetime as dt
import io
import logging
import zipfile

from django.urls import reverse

from tests import factories
from tests.queries import count_queries

URL = reverse("billing:documents_zip")


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_it_streams_a_zip_of_the_chosen_year(alice_client, alice):
    c = alice.customer
    factories.make_document(c, "FV/2026/1", issue_date=dt.date(2026, 3, 1), pdf=factories.write_pdf("a.pdf", b"A"))
    factories.make_document(c, "FV/2025/1", issue_date=dt.date(2025, 3, 1), pdf=factories.write_pdf("b.pdf", b"B"))
    factories.make_other_document(c, title="Pismo", date=dt.date(2026, 4, 1), pdf=factories.write_pdf("c.pdf", b"C"))
    response = alice_client.get(URL, {"zip-rok": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="dokumenty_100001_20260101-20261231.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = _zip(response)
    assert sorted(archive.namelist()) == ["2026-04-01_Pismo.pdf", "FV_2026_1.pdf", "README.txt"]
    assert archive.read("FV_2026_1.pdf") == b"A"


def test_a_date_range_selects_documents_inside_it(alice_client, alice):
    c = alice.customer
    factories.make_document(c, "FV/IN", issue_date=dt.date(2026, 6, 30), pdf=factories.write_pdf("a.pdf"))
    factories.make_document(c, "FV/OUT", issue_date=dt.date(2026, 7, 1), pdf=factories.write_pdf("b.pdf"))
    archive = _zip(alice_client.get(URL, {"zip-od": "01.01.2026", "zip-do": "30.06.2026"}))
    assert "FV_IN.pdf" in archive.namelist() and "FV_OUT.pdf" not in archive.namelist()


def test_missing_files_are_skipped_listed_in_the_readme_and_logged(alice_client, alice, caplog):
    c = alice.customer
    factories.make_document(c, "FV/OK", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("ok.pdf"))
    factories.make_document(c, "FV/GONE", issue_date=dt.date(2026, 1, 6), pdf="gone.pdf")
    with caplog.at_level(logging.WARNING, logger="billing.files"):
        archive = _zip(alice_client.get(URL, {"zip-rok": 2026}))
    assert "FV_GONE.pdf" not in archive.namelist()
    assert "FV_GONE.pdf" in archive.read("README.txt").decode()
    assert "gone.pdf" in caplog.text


def test_it_never_includes_another_customers_documents(alice_client, alice, bob):
    factories.make_document(alice.customer, "FV/ALA", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("a.pdf"))
    factories.make_document(bob.customer, "FV/BOB", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("b.pdf"))
    archive = _zip(alice_client.get(URL, {"zip-rok": 2026}))
    assert sorted(archive.namelist()) == ["FV_ALA.pdf", "README.txt"]


def test_without_a_period_it_explains_what_to_choose_on_the_documents_page(alice_client, alice):
    factories.make_document(alice.customer, "FV/1", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("a.pdf"))
    response = alice_client.get(URL, {"zip-rok": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Wybierz rok albo podaj obie daty okresu." in page
    assert "<h1>Dokumenty</h1>" in page and "FV/1" in page  # the same page, not a page of its own
    assert "<title>Błąd: Dokumenty" in page and "data-error-summary" in page


def test_a_wrong_range_keeps_the_dates_typed(alice_client, alice):
    factories.make_document(alice.customer, "FV/1", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("a.pdf"))
    page = alice_client.get(URL, {"zip-od": "30.06.2026", "zip-do": "01.01.2026"}).content.decode()
    assert "Data początkowa jest późniejsza niż końcowa." in page
    assert 'href="#id_zip-do"' in page
    assert 'value="30.06.2026"' in page and 'value="01.01.2026"' in page


def test_a_period_without_documents_says_so_instead_of_an_empty_archive(alice_client, alice):
    factories.make_document(alice.customer, "FV/1", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("a.pdf"))
    response = alice_client.get(URL, {"zip-rok": 2020})
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Od 01.01.2020 do 31.12.2020 nie ma żadnych dokumentów." in page
    assert 'value="2020"' in page


def test_the_period_uses_the_same_date_inputs_as_the_case_search(alice_client, alice):
    factories.make_document(alice.customer, "FV/1", issue_date=dt.date(2026, 1, 5), pdf=factories.write_pdf("a.pdf"))
    page = alice_client.get(reverse("billing:documents")).content.decode()
    assert '<input type="date" name="zip-od"' in page and '<input type="date" name="zip-do"' in page


def test_its_query_count_does_not_grow_with_the_number_of_documents(client, db):
    counts = []
    for months in (2, 30):
        user = factories.make_user()
        factories.make_history(user.customer, months, start=dt.date(2024, 1, 1))
        client.force_login(user)
        counts.append(count_queries(client, f"{URL}?zip-od=2024-01-01&zip-do=2026-12-31"))
    assert counts[0] == counts[1]
