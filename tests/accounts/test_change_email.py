import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountToken
from tests import factories
from tests.accounts.conftest import link_from
from tests.pages import login_redirect

URL = reverse("accounts:change_email")


def _post(client, email="nowy@example.pl", password=factories.PASSWORD):
    return client.post(URL, {"email": email, "password": password})


def test_the_new_address_takes_effect_only_after_its_link(alice_client, alice, send_queued_mail):
    response = _post(alice_client)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@example.pl"
    (verify,) = send_queued_mail()
    assert verify.to == ["nowy@example.pl"]
    account_page = alice_client.get(reverse("accounts:my_account")).content.decode()
    assert "czeka na potwierdzenie: nowy@example.pl" in account_page
    link = link_from(verify, "/potwierdz-e-mail/")
    assert alice_client.get(link).status_code == 200  # a GET (mail scanner) changes nothing
    alice.refresh_from_db()
    assert alice.email == "alice@example.pl"
    alice_client.post(link)
    alice.refresh_from_db()
    assert alice.email == "nowy@example.pl"
    (notice,) = [m for m in send_queued_mail() if m.to == ["alice@example.pl"]]
    assert "nowy@example.pl" in notice.body


def test_the_link_works_once(alice_client, alice, send_queued_mail):
    _post(alice_client)
    link = link_from(send_queued_mail()[0], "/potwierdz-e-mail/")
    alice_client.post(link)
    assert alice_client.post(link).status_code == 410


def test_an_expired_link_changes_nothing(alice_client, alice, send_queued_mail):
    _post(alice_client)
    link = link_from(send_queued_mail()[0], "/potwierdz-e-mail/")
    AccountToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert alice_client.post(link).status_code == 410
    alice.refresh_from_db()
    assert alice.email == "alice@example.pl"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "Zle-haslo1"}, "Hasło jest nieprawidłowe."),
        ({"password": ""}, "To pole jest wymagane"),
        ({"email": ""}, "To pole jest wymagane"),
        ({"email": "nie-adres"}, "Wprowadź poprawny adres email"),
        ({"email": "ALICE@example.pl"}, "To jest Twój obecny adres e-mail."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_sent(alice_client, alice, send_queued_mail, kwargs, message):
    response = _post(alice_client, **kwargs)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert send_queued_mail() == []
    assert not AccountToken.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == login_redirect(URL)
