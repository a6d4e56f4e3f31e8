import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.pages import login_redirect

URL = reverse("accounts:change_password")


def _post(client, old=factories.PASSWORD, new="NoweHaslo9", again=None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_the_password_changes_this_session_stays_others_end_and_a_notice_goes(alice_client, alice, send_queued_mail):
    other = Client()
    other.force_login(alice)
    response = _post(alice_client)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("NoweHaslo9")
    assert alice_client.get(reverse("accounts:my_account")).status_code == 200
    ended = other.get(reverse("accounts:my_account"))
    assert ended.status_code == 302 and ended["Location"] == login_redirect(reverse("accounts:my_account"))
    assert send_queued_mail()[-1].subject == "Hasło do eBOK zostało zmienione"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"old": "Zle-haslo1"}, "Obecne hasło jest nieprawidłowe."),
        ({"old": ""}, "To pole jest wymagane"),
        ({"new": "abc"}, "Minimalna długość hasła"),
        ({"new": "bezcyfrAA"}, "przynajmniej jedną cyfrę"),
        ({"new": "NoweHaslo9", "again": "NoweHaslo8"}, "Hasła nie są takie same."),
    ],
)
def test_bad_input_is_refused(alice_client, alice, kwargs, message):
    response = _post(alice_client, **kwargs)
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(factories.PASSWORD)


def test_the_page_lists_the_password_requirements(alice_client):
    assert "Wymagania dot. hasła" in alice_client.get(URL).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == login_redirect(URL)
