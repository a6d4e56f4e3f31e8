from tests import factories
from tests.pages import page_html

URL = "/sprawy/wiadomosci/"


def test_it_lists_every_message_the_customer_sent_with_its_case(alice_client, alice):
    first = factories.make_case(alice.customer, subject="Pierwsza", body="Treść pierwsza")
    second = factories.make_case(alice.customer, subject="Druga", body="Treść druga")
    factories.make_staff_message(first, "Odpowiedź biura")
    response = alice_client.get(URL)
    html = response.content.decode()
    assert [m.body for m in response.context["page"]] == ["Treść druga", "Treść pierwsza"]
    assert first.number in html and second.number in html
    assert "Odpowiedź biura" not in html


def test_it_never_lists_another_customers_messages(alice_client, alice, bob):
    factories.make_case(alice.customer, body="Wiadomość Alicji")
    factories.make_case(bob.customer, body="Wiadomość Bobexu")
    html = page_html(alice_client, URL)
    assert "Wiadomość Alicji" in html and "Wiadomość Bobexu" not in html
