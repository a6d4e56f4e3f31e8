from django.urls import reverse


def test_the_current_terms_show_their_version(client, db, settings):
    settings.EBOK_TERMS_VERSION = "2026-11"
    page = client.get(reverse("accounts:terms")).content.decode()
    assert "Regulamin portalu eBOK" in page and "Wersja 2026-11" in page


def test_the_privacy_notice_shows_its_version(client, db):
    page = client.get(reverse("accounts:privacy")).content.decode()
    assert "Informacja o przetwarzaniu danych osobowych" in page and "Wersja 2026-11" in page


def test_an_older_version_stays_readable_and_is_marked(client, db, settings):
    settings.EBOK_TERMS_VERSION = "2027-01"  # a newer version is in force; 2026-11 is archived
    response = client.get(reverse("accounts:terms_version", args=["2026-11"]))
    assert response.status_code == 200
    assert "wersja archiwalna" in response.content.decode()


def test_an_unknown_version_is_404(client, db):
    assert client.get(reverse("accounts:terms_version", args=["1999-01"])).status_code == 404


def test_a_utility_name_ending_in_a_dot_is_not_followed_by_another(client, db, settings):
    settings.EBOK_UTILITY_NAME = "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o."
    page = client.get("/prywatnosc/").content.decode()
    assert "Sp. z o.o." in page and "o.o.." not in page
