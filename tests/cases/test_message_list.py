from tests import factories
from tests.pages import page_html

URL = "/sprawy/wiadomosci/"


def test_it_lists_every_message_of_the_customers_cases_with_the_unread_replies_the_badge_counts(alice_client, alice):
    first = factories.make_case(alice.customer, subject="Pierwsza", body="Treść pierwsza")
    second = factories.make_case(alice.customer, subject="Druga", body="Treść druga")
    factories.make_staff_message(first, "Odpowiedź biura")
    response = alice_client.get(URL)
    html = response.content.decode()
    assert [m.body for m in response.context["page"]] == ["Odpowiedź biura", "Treść druga", "Treść pierwsza"]
    assert first.number in html and second.number in html
    # The tab's badge says 1, and so does the page, which marks the reply.
    assert '<span class="badge text-bg-danger">1<span class="visually-hidden"> nieprzeczytane' in html
    assert "1 nieprzeczytana odpowiedź Biura Obsługi Klienta" in html
    assert html.count('<span class="badge text-bg-danger">nieprzeczytana</span>') == 1
    alice_client.get(f"/sprawy/{first.pk}/")  # reading the case marks the reply read
    html = alice_client.get(URL).content.decode()
    assert "Wszystkie odpowiedzi Biura Obsługi Klienta są przeczytane." in html
    assert '<span class="badge text-bg-danger">nieprzeczytana</span>' not in html


def test_it_never_lists_another_customers_messages(alice_client, alice, bob):
    factories.make_case(alice.customer, body="Wiadomość Alicji")
    factories.make_case(bob.customer, body="Wiadomość Bobexu")
    html = page_html(alice_client, URL)
    assert "Wiadomość Alicji" in html and "Wiadomość Bobexu" not in html
