"""My account: which notices the customer wants, and the language of the e-mails."""

from django.urls import reverse

from accounts.models import User

URL = reverse("accounts:notice_preferences")
MY_ACCOUNT = reverse("accounts:my_account")


def test_my_account_shows_the_notice_settings(alice_client):
    page = alice_client.get(MY_ACCOUNT).content.decode()
    for text in (
        "Powiadomienia e-mail",
        "Odpowiedzi w Twoich sprawach wysyłamy zawsze.",
        "Powiadamiaj mnie o nowych dokumentach",
        "Przypominaj mi o zaległych płatnościach",
        "Język wiadomości e-mail",
        "Zapisz powiadomienia",
    ):
        assert text in page


def test_it_saves_the_choices_for_this_customer_only(alice_client, alice, bob):
    response = alice_client.post(URL, {"language": "en", "notify_reminders": "on"})
    assert response.status_code == 302 and response["Location"] == MY_ACCOUNT
    alice.refresh_from_db()
    assert (alice.language, alice.notify_documents, alice.notify_reminders) == ("en", False, True)
    bob.refresh_from_db()
    assert (bob.language, bob.notify_documents, bob.notify_reminders) == ("pl", True, True)
    assert "Zapisano ustawienia powiadomień." in alice_client.get(MY_ACCOUNT).content.decode()


def test_an_unknown_language_is_refused_with_a_message(alice_client, alice):
    alice_client.post(URL, {"language": "xx", "notify_documents": "on"})
    alice.refresh_from_db()
    assert alice.language == "pl"
    assert "wybierz język z listy" in alice_client.get(MY_ACCOUNT).content.decode()


def test_it_needs_post_a_customer_and_csrf(alice_client, alice):
    from django.test import Client

    assert alice_client.get(URL).status_code == 405
    assert Client().post(URL, {"language": "en"}).status_code == 302  # anonymous: to the login page
    assert not User.objects.filter(language="en").exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(URL, {"language": "en"}).status_code == 403


def test_the_outage_notices_can_be_switched_off_for_this_customer_only(alice_client, alice, bob):
    assert "Powiadamiaj mnie o przerwach w dostawie ciepła" in alice_client.get(MY_ACCOUNT).content.decode()
    alice_client.post(URL, {"language": "pl", "notify_documents": "on", "notify_reminders": "on"})
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.notify_outages, alice.notify_documents, bob.notify_outages) == (False, True, True)
    alice_client.post(URL, {"language": "pl", "notify_outages": "on"})
    alice.refresh_from_db()
    assert alice.notify_outages
