import pytest
from django.utils import translation

from ebok.mail import render

CONTEXT = {
    "customer_number": "100001",
    "url": "https://ebok.example.pl/link/abc/",
    "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/",
    "login_url": "https://ebok.example.pl/logowanie/",
    "new_email": "nowy@example.pl",
    "hours": 48,
    "minutes": 60,
}
NAMES = [
    "accounts-set-password",
    "accounts-registration-attempt",
    "accounts-registration-confirmed",
    "accounts-password-reset",
    "accounts-password-changed",
    "accounts-email-change",
    "accounts-email-changed",
    "accounts-not-me",
]


@pytest.mark.parametrize("name", NAMES)
def test_every_account_email_has_a_subject_a_text_and_an_html_body(name):
    subject, text, html = render(name, CONTEXT)
    assert subject and "\n" not in subject
    assert text.startswith("Dzień dobry,") and "100001" in text
    assert "<p>Dzień dobry,</p>" in html and '<html lang="pl">' in html
    assert "{%" not in text + html and "{{" not in text + html


def test_links_in_the_text_body_are_not_html_escaped():
    _, text, _ = render("accounts-set-password", {**CONTEXT, "url": "https://e.example/a?b=1&c=2"})
    assert "https://e.example/a?b=1&c=2" in text


def test_the_html_follows_the_language():
    with translation.override("en"):
        _, _, html = render("accounts-password-changed", CONTEXT, "en")
    assert '<html lang="en">' in html
