import datetime as dt

from django.urls import reverse


def test_the_footer_links_to_the_terms_the_privacy_policy_and_the_accessibility_statement(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    footer = page[page.index("<footer") :]
    assert f'<a href="{reverse("accounts:terms")}">Regulamin</a>' in footer
    assert f'<a href="{reverse("accounts:privacy")}">Polityka prywatności</a>' in footer
    assert f'<a href="{reverse("accessibility")}">Deklaracja dostępności</a>' in footer


def test_the_accessibility_statement_is_filled_from_the_utilitys_settings(client, db, settings):
    settings.EBOK_UTILITY_NAME = "MPEC Testowo Sp. z o.o."
    settings.EBOK_ACCESSIBILITY_PUBLISHED = dt.date(2026, 11, 24)
    settings.EBOK_ACCESSIBILITY_UPDATED = dt.date(2026, 12, 1)
    settings.EBOK_ACCESSIBILITY_CONTACT = "Jan Dostępny"
    settings.EBOK_ACCESSIBILITY_EMAIL = "dostepnosc@example.pl"
    settings.EBOK_ACCESSIBILITY_PHONE = "+48 17 111 11 11"
    settings.EBOK_SITE_URL = "https://ebok.testowo.pl"
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "<h1>Deklaracja dostępności</h1>",
        "MPEC Testowo Sp. z o.o. zobowiązuje się",
        "https://ebok.testowo.pl",
        "Data publikacji strony internetowej: 24.11.2026",
        "Data ostatniej istotnej aktualizacji: 01.12.2026",
        "Jan Dostępny",
        '<a href="mailto:dostepnosc@example.pl">dostepnosc@example.pl</a>',
        "+48 17 111 11 11",
        "Rzecznika Praw Obywatelskich",
    ):
        assert text in page
