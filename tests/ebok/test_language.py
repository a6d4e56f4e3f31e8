"""The portal speaks Polish until the visitor picks English in the footer."""

from django.test import Client


def test_polish_is_the_default_even_for_an_english_browser(client, db):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="pl">' in response.content.decode()


def test_the_footer_switch_chooses_english_and_back(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    assert '<html lang="pl">' in client.get("/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_polish(client, db):
    client.cookies["django_language"] = "xx"
    assert '<html lang="pl">' in client.get("/").content.decode()
