import pytest

from tests import factories
from tests.ebok.test_admin_otp import current_code


@pytest.fixture
def root_client(admin_login, db):
    user = factories.make_staff("root")
    user.is_superuser = True
    user.save()
    return admin_login(user)


def test_titles_and_the_add_button_name_the_model_in_the_accusative(root_client):
    page = root_client.get("/admin/cases/case/").content.decode()
    assert "<h1>Wybierz sprawę do zmiany</h1>" in page
    page = root_client.get("/admin/billing/payment/").content.decode()
    assert "Wybierz wpłatę do zmiany" in page and "Dodaj wpłatę" in page and "Dodaj wpłata" not in page
    assert "<h1>Dodaj odbiorcę</h1>" in root_client.get("/admin/billing/customer/add/").content.decode()
    assert "Wybierz logowanie do obejrzenia" in root_client.get("/admin/accounts/loginevent/").content.decode()


def test_cases_come_first_and_no_section_of_the_index_is_in_english(root_client):
    page = root_client.get("/admin/").content.decode()
    sections = [chunk.split('"')[0] for chunk in page.split('<div class="app-')[1:]]
    assert sections[0].startswith("cases")
    for english in ("Tasks Database Backend", "Task Results", "TOTP devices", "static devices", "access failures"):
        assert english not in page
    assert "Zadania w tle" in page and "Urządzenia TOTP" in page


def test_the_packages_pages_speak_polish(root_client):
    tasks = root_client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "Wybierz wynik zadania do obejrzenia" in tasks and "Task Result" not in tasks
    assert "Wybierz urządzenie TOTP do zmiany" in root_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "access failure" not in root_client.get("/admin/axes/accessfailurelog/").content.decode()


def test_a_wrong_code_at_the_admin_login_is_explained_in_polish(client, db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = factories.make_staff("konsultant2")
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    page = client.post(
        "/admin/login/", {"username": user.username, "password": factories.PASSWORD, "otp_token": wrong}
    ).content.decode()
    assert "Invalid token" not in page
    assert "Nieprawidłowy login, hasło lub kod z aplikacji." in page  # one message, as for a wrong password


def test_the_device_pages_name_their_fields_and_sections_in_polish(root_client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = root_client.get("/admin/otp_totp/totpdevice/add/").content.decode()
    for polish in ("Urządzenie", "Ustawienia", "liczba cyfr", "Długość kroku czasu w sekundach."):
        assert polish in page
    for english in ("The human-readable name of this device.", "The time step in seconds.", "Throttling"):
        assert english not in page
    TOTPDevice.objects.create(user=factories.make_staff("inny"), name="telefon", confirmed=True)
    listing = root_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "Potwierdzone" in listing and "Ostatnio użyte" in listing and "Last used" not in listing
