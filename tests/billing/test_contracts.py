import datetime as dt

from django.urls import reverse

from billing.models import OtherDocument
from tests import factories
from tests.pages import login_redirect, page_html
from tests.queries import queries_for_history_sizes

URL = reverse("billing:contracts")


def test_it_shows_every_contract_with_its_points_and_documents(alice_client, alice):
    first = factories.make_contract(alice.customer, "UM/2019/0042", tariff_group="B2", valid_until=dt.date(2029, 5, 4))
    second = factories.make_contract(alice.customer, "UM/2024/0007")
    factories.make_point(first, "PO-000123", street="Pisarka 20")
    factories.make_other_document(alice.customer, title="Umowa kompleksowa UM/2019/0042", pdf="pdf/u.pdf")
    factories.make_other_document(
        alice.customer, kind=OtherDocument.Kind.ANNEX, title="Aneks nr 1", date=dt.date(2021, 1, 4), pdf="pdf/a.pdf"
    )
    response = alice_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for text in [first.number, second.number, "05.05.2019", "04.05.2029", "B2", "0,125 MW", "PO-000123"]:
        assert text in html
    assert "Umowa kompleksowa UM/2019/0042" in html
    assert "Aneks nr 1" in html  # not matched to a contract, listed below them


def test_it_shows_nothing_of_another_customer(alice_client, alice, bob):
    factories.make_contract(alice.customer, "UM/2020/ALICE")
    factories.make_contract(bob.customer, "UM/2020/BOB")
    html = page_html(alice_client, URL)
    assert "UM/2020/ALICE" in html and "UM/2020/BOB" not in html


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == login_redirect(URL)


def test_its_query_count_does_not_grow_with_the_history(client, db):
    small, big = queries_for_history_sizes(client, lambda o: URL)
    assert small == big
