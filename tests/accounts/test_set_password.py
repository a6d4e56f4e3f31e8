import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountToken, User
from tests.accounts.conftest import link_from, registration


@pytest.fixture
def set_password_url(client, carol, send_queued_mail):
    client.post(reverse("accounts:register"), registration())
    (message,) = send_queued_mail()
    message_count = len(send_queued_mail())
    assert message_count == 1
    return link_from(message, "/ustaw-haslo/")


def test_the_page_lists_the_requirements_of_the_active_validators(client, set_password_url, settings):
    page = client.get(set_password_url).content.decode()
    for text in (
        "Ustaw hasło do portalu",
        "Nowe hasło",
        "Powtórz hasło",
        "Zapisz",
        "Wymagania dot. hasła",
        "Minimalna długość hasła 6 znaków",
        "Hasło musi zawierać przynajmniej jedną dużą literę",
        "Hasło musi zawierać przynajmniej jedną małą literę",
        "Hasło musi zawierać przynajmniej jedną cyfrę",
    ):
        assert text in page
    assert 'autocomplete="new-password"' in page


def test_the_list_follows_the_minimum_length_setting(client, set_password_url, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}}
    ]
    page = client.get(set_password_url).content.decode()
    assert "Minimalna długość hasła 10 znaków" in page
    assert "dużą literę" not in page


def test_saving_activates_the_account_and_mails_a_confirmation(client, set_password_url, carol, send_queued_mail):
    response = client.post(set_password_url, {"new_password1": "Ciepło2026", "new_password2": "Ciepło2026"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_saved")
    user = User.objects.get(customer=carol)
    assert user.status == User.Status.ACTIVE
    assert user.check_password("Ciepło2026")
    outbox = send_queued_mail()
    assert outbox[-1].subject == "Potwierdzenie założenia konta w eBOK"
    assert outbox[-1].to == ["carol@example.pl"]


def test_the_password_is_hashed_with_argon2_in_production_settings(settings):
    from ebok import settings as project_settings

    assert "Argon2PasswordHasher" in [h for h in project_settings.PASSWORD_HASHERS if "Argon2" in h][0]
    non_test = [h for h in project_settings.PASSWORD_HASHERS if "MD5" not in h]
    assert non_test[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_link_works_only_once(client, set_password_url):
    client.post(set_password_url, {"new_password1": "Ciepło2026", "new_password2": "Ciepło2026"})
    again = client.get(set_password_url)
    assert again.status_code == 410
    assert "Link jest nieaktualny" in again.content.decode()
    assert reverse("accounts:password_reset") in again.content.decode()
    post_again = client.post(set_password_url, {"new_password1": "Inne2026x", "new_password2": "Inne2026x"})
    assert post_again.status_code == 410
    assert User.objects.get(username="100003").check_password("Ciepło2026")


def test_an_expired_link_explains_and_offers_a_new_one(client, set_password_url, settings):
    AccountToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(set_password_url)
    assert response.status_code == 410
    assert "Wyślij nowy link" in response.content.decode()


def test_the_link_lives_as_long_as_the_setting_says(client, carol, settings):
    settings.EBOK_SET_PASSWORD_LINK_HOURS = 48
    client.post(reverse("accounts:register"), registration())
    token = AccountToken.objects.get()
    assert abs((token.expires_at - token.created_at) - dt.timedelta(hours=48)) < dt.timedelta(seconds=5)


def test_an_unknown_link_is_refused(client, db):
    assert client.get(reverse("accounts:set_password", args=["nonsense"])).status_code == 410


def test_only_a_hash_of_the_secret_is_stored(set_password_url):
    secret = set_password_url.rstrip("/").rsplit("/", 1)[1]
    assert not AccountToken.objects.filter(digest=secret).exists()
    assert secret not in AccountToken.objects.get().digest


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1", "Minimalna długość hasła 6 znaków"),
        ("abcdef12", "Hasło musi zawierać przynajmniej jedną dużą literę"),
        ("ABCDEF12", "Hasło musi zawierać przynajmniej jedną małą literę"),
        ("Abcdefgh", "Hasło musi zawierać przynajmniej jedną cyfrę"),
        ("Aa1" + "x" * 126, "Hasło może mieć najwyżej 128 znaków"),
        ("Password1", "zbyt powszechne"),  # Django's common-password validator, in Polish
        ("100003Ab", "Hasło jest zbyt podobne do loginu (numeru odbiorcy)."),  # user-attribute similarity
        ("Carol@example", "Hasło jest zbyt podobne do adresu e-mail."),
    ],
)
def test_every_password_rule_is_enforced_with_a_polish_message(client, set_password_url, password, message):
    response = client.post(set_password_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get(username="100003").status == User.Status.PENDING


def test_different_passwords_are_refused(client, set_password_url):
    response = client.post(set_password_url, {"new_password1": "Ciepło2026", "new_password2": "Ciepło2027"})
    assert "Hasła nie są takie same." in response.content.decode()


def test_empty_passwords_are_refused(client, set_password_url):
    response = client.post(set_password_url, {"new_password1": "", "new_password2": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wpisz nowe hasło." in page and "Wpisz nowe hasło jeszcze raz" in page
    assert "To pole jest wymagane" not in page


def test_a_128_character_password_is_accepted(client, set_password_url):
    password = "Aa1" + "x" * 125
    response = client.post(set_password_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302


def test_a_rule_error_sits_on_the_new_password_and_a_mismatch_on_the_repeat(client, set_password_url):
    page = client.post(set_password_url, {"new_password1": "abcdef12", "new_password2": "abcdef12"}).content.decode()
    assert 'id="error_1_id_new_password1"' in page and "error_1_id_new_password2" not in page
    assert 'href="#id_new_password1">Nowe hasło: Hasło musi zawierać przynajmniej jedną dużą literę' in page
    page = client.post(
        set_password_url, {"new_password1": "Ciepło2026", "new_password2": "Ciepło2027"}
    ).content.decode()
    assert 'id="error_1_id_new_password2"' in page and "error_1_id_new_password1" not in page


def test_the_rules_describe_the_new_password_and_carry_what_the_script_ticks_off(client, set_password_url):
    page = client.get(set_password_url).content.decode()
    new_password = page[page.index('name="new_password1"') - 400 : page.index('name="new_password1"') + 400]
    assert 'aria-describedby="password-requirements' in new_password
    assert '<ul id="password-requirements"' in page
    for rule in ('data-rule="min:6"', 'data-rule="upper"', 'data-rule="lower"', 'data-rule="digit"'):
        assert rule in page
    assert "/static/js/password.js" in page
    assert "data-password-toggle" in page and "Pokaż hasło" in page


def test_a_used_link_offers_the_login_and_a_new_link(client, set_password_url):
    client.post(set_password_url, {"new_password1": "Ciepło2026", "new_password2": "Ciepło2026"})
    page = client.get(set_password_url).content.decode()
    assert f'href="{reverse("accounts:login")}">Zaloguj się</a>' in page
    assert f'href="{reverse("accounts:password_reset")}"' in page
    assert f'href="{reverse("accounts:my_account")}">Moje konto</a>' in page
