import datetime as dt

from django.urls import reverse

from tests import factories
from tests.pages import page_html
from tests.queries import queries_for_history_sizes

URL = reverse("billing:documents")


def test_it_lists_payable_and_other_documents_with_a_pdf(alice_client, alice):
    c = alice.customer
    factories.make_document(c, "FV/WITH-PDF", pdf="pdf/a.pdf")
    factories.make_document(c, "FV/NO-PDF", pdf="")
    factories.make_other_document(c, title="Taryfa 2026", kind="taryfa", date=dt.date(2026, 1, 1), pdf="pdf/t.pdf")
    html = alice_client.get(URL).content.decode()
    assert "FV/WITH-PDF" in html and "Taryfa 2026" in html
    assert "FV/NO-PDF" not in html


def test_it_filters_by_kind_and_year(alice_client, alice):
    c = alice.customer
    factories.make_document(c, "FV/2025", issue_date=dt.date(2025, 5, 1), pdf="a.pdf")
    factories.make_document(c, "FV/2026", issue_date=dt.date(2026, 5, 1), pdf="b.pdf")
    factories.make_other_document(c, title="Pismo 2026", kind="pismo", date=dt.date(2026, 2, 1), pdf="c.pdf")
    html = alice_client.get(URL, {"rok": 2026}).content.decode()
    assert "FV/2026" in html and "Pismo 2026" in html and "FV/2025" not in html
    html = alice_client.get(URL, {"rodzaj": "pismo"}).content.decode()
    assert "Pismo 2026" in html and "FV/2026" not in html


def test_it_never_lists_another_customers_documents(alice_client, alice, bob):
    factories.make_document(alice.customer, "FV/ALICE", pdf="a.pdf")
    factories.make_other_document(alice.customer, title="Pismo Alicji", pdf="b.pdf")
    factories.make_document(bob.customer, "FV/BOB", pdf="x.pdf")
    factories.make_other_document(bob.customer, title="Pismo Boba", pdf="y.pdf")
    html = page_html(alice_client, URL)
    assert "FV/ALICE" in html and "Pismo Alicji" in html
    assert "FV/BOB" not in html and "Pismo Boba" not in html


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big


def test_it_links_a_letter_whose_id_holds_a_slash(alice_client, alice):
    factories.make_other_document(alice.customer, "PISMO/2026/7", title="Pismo 7", pdf="pdf/p.pdf")

    response = alice_client.get(URL)

    assert response.status_code == 200
    assert 'href="/dokumenty/pismo/PISMO/2026/7/pdf/"' in response.content.decode()


def test_every_row_links_its_own_pdf_on_later_pages_too(alice_client, alice):
    c = alice.customer
    for i in range(26):  # one more than a page: the oldest invoice lands on page 2
        factories.make_document(c, f"FV/L/{i:02d}", issue_date=dt.date(2026, 1, 1) + dt.timedelta(days=i), pdf="a.pdf")
    letter = factories.make_other_document(c, title="Pismo stare", kind="pismo", date=dt.date(2025, 1, 1), pdf="b.pdf")
    first = alice_client.get(URL).content.decode()
    second = alice_client.get(URL, {"strona": 2}).content.decode()
    assert 'href="/dokumenty/faktura/FV/L/25/pdf/">Pobierz PDF' in first
    assert "FV/L/00" not in first
    assert 'href="/dokumenty/faktura/FV/L/00/pdf/">Pobierz PDF' in second
    assert f'href="{reverse("billing:other_document_pdf", args=[letter.ext_id])}">Pobierz PDF' in second
