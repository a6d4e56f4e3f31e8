import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import LoginEvent, User
from tests import factories
from tests.queries import queries_of

URL = reverse("accounts:login")


def _login(client, username="100001", password=factories.PASSWORD, **extra):
    return client.post(URL, {"username": username, "password": password}, **extra)


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_form_uses_the_seed_labels(client, db):
    page = client.get(URL).content.decode()
    for text in ("Zaloguj się", "Login", "Hasło", "Zatwierdź", "Zarejestruj się", "Zapomniałeś hasła?"):
        assert text in page
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page


def test_a_customer_logs_in_with_the_customer_number(client, alice):
    response = _login(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert LoginEvent.objects.filter(user=alice).count() == 1


def test_login_starts_a_new_session(client, alice):
    client.get(URL)
    client.session.save()
    before = client.session.session_key
    _login(client)
    assert client.session.session_key != before


def test_a_safe_next_is_followed_and_a_foreign_one_ignored(client, alice):
    assert (
        client.post(URL + "?next=/moje-konto/", {"username": "100001", "password": factories.PASSWORD})["Location"]
        == "/moje-konto/"
    )
    client.logout()
    response = client.post(URL, {"username": "100001", "password": factories.PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_wrong_password_and_unknown_number_get_the_same_response(client, alice):
    wrong = _login(client, password="Zle-haslo1")
    unknown = _login(client, username="999999", password="Zle-haslo1")
    assert wrong.status_code == unknown.status_code == 200
    assert "Nieprawidłowy login lub hasło." in _page(wrong)
    assert _page(wrong).replace("100001", "X") == _page(unknown).replace("999999", "X")


def test_a_pending_account_cannot_log_in_and_says_nothing_more(client, alice):
    User.objects.filter(pk=alice.pk).update(status=User.Status.PENDING)
    response = _login(client)
    assert "Nieprawidłowy login lub hasło." in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(("username", "password"), [("", "x"), ("100001", ""), ("", "")])
def test_empty_fields_are_errors(client, alice, username, password):
    response = _login(client, username=username, password=password)
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Podaj login: numer odbiorcy lub adres e-mail." in page) == (username == "")
    assert ("Podaj hasło." in page) == (password == "")
    assert "To pole jest wymagane" not in page
    assert "data-error-summary" in page


def test_five_failures_lock_the_number_and_ip_out_with_a_clear_message(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, password="Zle-haslo1").status_code == 200
    locked = _login(client, password="Zle-haslo1")
    assert locked.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in locked.content.decode()
    # Even the right password is refused during the cool-off.
    right = _login(client)
    assert right.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_lockout_does_not_reveal_whether_the_number_exists(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, password="Zle-haslo1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username="999999", password="Zle-haslo1")
    known = _login(client, password="Zle-haslo1")
    unknown = _login(client, username="999999", password="Zle-haslo1")
    assert known.status_code == unknown.status_code == 429
    assert _page(known).replace("100001", "X") == _page(unknown).replace("999999", "X")


def test_the_lockout_is_per_number_and_ip(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, password="Zle-haslo1")
    assert _login(client, username="100002").status_code == 302
    client.logout()
    assert _login(client, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_a_failed_login_is_audited(client, alice, caplog):
    _login(client, password="Zle-haslo1")
    assert any("login_failed" in r.getMessage() and "100001" in r.getMessage() for r in caplog.records)


def _login_queries(user, *, past_logins: int, failures: int) -> int:
    """The queries of one successful login by ``user``, after that many earlier logins and failed tries."""
    client = Client()
    LoginEvent.objects.bulk_create(LoginEvent(user=user) for _ in range(past_logins))
    for _ in range(failures):
        _login(client, username=user.username, password="Zle-haslo1")
    count = queries_of(lambda: _login(client, username=user.username))
    assert client.session[SESSION_KEY] == str(user.pk)
    return count


def test_login_needs_the_same_number_of_queries_however_long_the_history(alice, bob):
    few = _login_queries(alice, past_logins=1, failures=1)
    many = _login_queries(bob, past_logins=30, failures=4)
    assert few == many <= 20


def test_staff_cannot_log_in_through_the_customer_form(client, staff):
    response = _login(client, username=staff.username)
    assert "Nieprawidłowy login lub hasło." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_failed_login_shows_its_message_once(client, alice):
    page = _login(client, password="Zle-haslo1").content.decode()
    assert page.count("Nieprawidłowy login lub hasło.") == 1
    assert "<title>Błąd: Zaloguj się" in page


def test_a_warning_comes_before_the_last_attempt_and_the_lockout_is_one_message(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        assert "Uwaga: po jeszcze jednej" not in _login(client, password="Zle-haslo1").content.decode()
    warned = _login(client, password="Zle-haslo1").content.decode()
    assert (
        "Uwaga: po jeszcze jednej nieudanej próbie logowanie na ten login z tego adresu zostanie zablokowane" in warned
    )
    locked = _login(client, password="Zle-haslo1").content.decode()
    assert locked.count("Zbyt wiele nieudanych prób logowania") == 1
    assert "Nieprawidłowy login lub hasło." not in locked and "data-error-summary" not in locked
    assert 'value="100001"' in locked  # the login typed is kept


def test_a_protected_page_sends_the_visitor_here_with_a_line_saying_why(client, db):
    response = client.get(reverse("meters:list"))
    page = client.get(response["Location"]).content.decode()
    assert "Ta strona jest dostępna po zalogowaniu." in page
    assert "Ta strona jest dostępna po zalogowaniu." not in client.get(URL).content.decode()


# --- password spraying: one address, many customer numbers ------------------------------------


def test_one_address_trying_many_numbers_is_stopped_with_a_clear_message(client, alice, bob, settings):
    from accounts.models import AccountAttempt

    settings.EBOK_LOGIN_LIMIT_PER_IP = 6
    for n in range(6):  # one wrong password on each of six numbers: axes alone never locks
        client.post(reverse("accounts:login"), {"username": f"90000{n}", "password": "Wiosna2026"})
    response = client.post(reverse("accounts:login"), {"username": bob.username, "password": factories.PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Zbyt wiele nieudanych prób logowania z Twojego adresu" in page
    assert "_auth_user_id" not in client.session, "even the right password does not log in now"
    assert AccountAttempt.objects.filter(kind="login", ip="127.0.0.1").count() == 6
    # Alice from another address logs in as usual.
    other = client.__class__(REMOTE_ADDR="10.3.3.3")
    response = other.post(reverse("accounts:login"), {"username": alice.username, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_the_spraying_limit_is_counted_in_the_database_for_every_process(client, alice, settings):
    from accounts.models import AccountAttempt

    settings.EBOK_LOGIN_LIMIT_PER_IP = 2
    # Failures recorded by another process are rows like any other.
    AccountAttempt.objects.create(kind="login", customer_number="1", ip="127.0.0.1", outcome="failed")
    AccountAttempt.objects.create(kind="login", customer_number="2", ip="127.0.0.1", outcome="failed")
    response = client.post(reverse("accounts:login"), {"username": alice.username, "password": factories.PASSWORD})
    assert response.status_code == 429
