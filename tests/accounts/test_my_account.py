from django.urls import reverse

from accounts.models import ConsentEvent, LoginEvent
from accounts.services import record_consent
from tests import factories
from tests.pages import login_redirect

URL = reverse("accounts:my_account")


def test_anonymous_visitors_go_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == login_redirect(URL)


def test_staff_have_no_customer_account_page(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == login_redirect(URL)


def test_it_shows_the_email_consent_history_and_recent_logins(alice_client, alice, bob):
    record_consent(customer=alice.customer, kind="regulamin", given=True, source="rejestracja")
    record_consent(customer=alice.customer, kind="e-faktury", given=True, source="rejestracja")
    record_consent(customer=alice.customer, kind="e-faktury", given=False, source="moje-konto")
    record_consent(customer=bob.customer, kind="dane", given=True, source="rejestracja")
    LoginEvent.objects.create(
        user=alice,
        ip="192.0.2.7",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    )
    LoginEvent.objects.create(user=bob, ip="198.51.100.9", user_agent="Bobzilla")
    page = alice_client.get(URL).content.decode()
    assert "alice@example.pl" in page
    assert "regulamin portalu" in page and "wycofana" in page and "udzielona" in page
    assert "192.0.2.7" in page
    assert ">Firefox 133, Windows 10</span>" in page  # named by browser and system, not the raw agent
    assert "198.51.100.9" not in page and "Bobzilla" not in page
    assert "przetwarzanie danych" not in page  # only bob gave that one


def test_the_header_links_to_my_account(alice_client):
    page = alice_client.get(URL).content.decode()
    assert f'href="{URL}"' in page and "Moje konto" in page


def test_the_e_invoice_consent_can_be_switched_and_each_switch_is_recorded(alice_client, alice):
    switch = reverse("accounts:e_invoice_consent")
    alice_client.post(switch, {"e_invoices": "on"})
    assert ConsentEvent.current(alice.customer, "e-faktury") is True
    alice_client.post(switch, {})
    assert ConsentEvent.current(alice.customer, "e-faktury") is False
    alice_client.post(switch, {})  # no change, no new row
    history = list(ConsentEvent.objects.filter(customer=alice.customer).values_list("given", "source"))
    assert history == [(False, "moje-konto"), (True, "moje-konto")]


def test_the_consent_switch_needs_post_and_a_customer(alice_client):
    from django.test import Client

    switch = reverse("accounts:e_invoice_consent")
    assert alice_client.get(switch).status_code == 405
    assert Client().post(switch, {"e_invoices": "on"}).status_code == 302
    assert not ConsentEvent.objects.exists()


def test_consent_history_is_append_only(alice):
    event = record_consent(customer=alice.customer, kind="dane", given=True, source="rejestracja")
    event.given = False
    try:
        event.save()
    except ValueError:
        pass
    else:
        raise AssertionError("a consent row was changed")


def test_the_page_needs_a_constant_number_of_queries(alice_client, alice, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        alice_client.get(URL)
    for n in range(20):
        LoginEvent.objects.create(user=alice, ip=f"192.0.2.{n}")
        record_consent(customer=alice.customer, kind="e-faktury", given=n % 2 == 0, source="moje-konto")
    with CaptureQueriesContext(connection) as many:
        alice_client.get(URL)
    assert len(few) == len(many)


def test_login_records_show_up(client, alice):
    client.post(reverse("accounts:login"), {"username": "100001", "password": factories.PASSWORD})
    assert "127.0.0.1" in client.get(URL).content.decode()


def test_every_way_back_is_to_the_account_settings(alice_client):
    for url in ("/moje-konto/haslo/", "/moje-konto/e-mail/"):
        page = alice_client.get(url).content.decode()
        assert "Wróć do ustawień konta" in page and "Wróć do Moje konto" not in page
