"""Logging in with weryfikacja dwuetapowa: after the password, "Kod weryfikacyjny" (app or backup code)."""

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from accounts.views_2fa import PENDING_KEY
from ebok.models import AuditEvent
from tests import factories
from tests.queries import queries_of

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")


@pytest.fixture(autouse=True)
def _no_otp_backoff(settings):
    # django-otp makes a device wait 1 s after a wrong code; these tests type the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def device(alice):
    return factories.enable_two_factor(alice)


def _password(client, **extra):
    return client.post(LOGIN, {"username": "100001", "password": factories.PASSWORD, **extra})


def _wrong(device) -> str:
    return f"{(int(factories.totp_code(device)) + 500_000) % 1_000_000:06d}"


def test_the_password_alone_does_not_log_in_but_asks_for_the_code(client, device):
    response = _password(client)
    assert response.status_code == 302 and response["Location"] == CODE
    assert SESSION_KEY not in client.session
    page = client.get(CODE).content.decode()
    assert "Kod weryfikacyjny" in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert client.get(reverse("accounts:my_account")).status_code == 302  # still logged out


def test_the_current_code_logs_in_with_a_verified_session(client, alice, device):
    _password(client)
    before = client.session.session_key
    response = client.post(CODE, {"code": factories.totp_code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != before
    assert PENDING_KEY not in client.session
    assert alice.logins.count() == 1


def test_a_safe_next_survives_the_code_step(client, device):
    client.post(LOGIN + "?next=/moje-konto/", {"username": "100001", "password": factories.PASSWORD})
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == "/moje-konto/"


def test_a_wrong_code_is_refused_counted_and_audited(client, device):
    _password(client)
    response = client.post(CODE, {"code": _wrong(device)})
    assert response.status_code == 200
    assert "Nieprawidłowy kod weryfikacyjny." in response.content.decode()
    assert SESSION_KEY not in client.session
    event = AuditEvent.objects.get(event="login_failed")
    assert event.customer_number == "100001" and event.details == {"stage": "code"}
    # The right code still works within the step.
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == reverse("home")


def test_a_backup_code_works_once(client, alice, device):
    _password(client)
    response = client.post(CODE, {"code": "11111-22222"})
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert not StaticToken.objects.filter(token="1111122222").exists()
    assert AuditEvent.objects.filter(event="two_factor_backup_code_used").exists()
    client.post(reverse("accounts:logout"))
    _password(client)
    again = client.post(CODE, {"code": "1111122222"})
    assert again.status_code == 200 and SESSION_KEY not in client.session


def test_a_malformed_code_is_explained(client, device):
    _password(client)
    response = client.post(CODE, {"code": "12345"})
    assert "Wpisz sześć cyfr z aplikacji albo dziesięciocyfrowy kod zapasowy." in response.content.decode()
    assert 'value="12345"' in response.content.decode()


def test_five_wrong_codes_end_the_step_and_lock_the_login(client, device, settings):
    _password(client)
    for _ in range(settings.EBOK_2FA_MAX_CODE_FAILURES - 1):
        assert client.post(CODE, {"code": _wrong(device)}).status_code == 200
    last = client.post(CODE, {"code": _wrong(device)})
    assert PENDING_KEY not in client.session
    # The fifth failure (AXES_FAILURE_LIMIT) also locks the number and IP out: axes answers.
    assert last.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in last.content.decode()
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert _password(client).status_code == 429
    assert AuditEvent.objects.filter(event="two_factor_code_step_ended").exists()


def test_with_a_higher_lockout_limit_the_step_still_ends_after_five_codes(client, device, settings):
    settings.AXES_FAILURE_LIMIT = 50
    _password(client)
    for _ in range(settings.EBOK_2FA_MAX_CODE_FAILURES):
        response = client.post(CODE, {"code": _wrong(device)})
    assert response["Location"] == LOGIN
    assert "Zbyt wiele błędnych kodów" in client.get(LOGIN).content.decode()
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == LOGIN


def test_the_code_step_expires(client, device, settings):
    _password(client)
    settings.EBOK_2FA_PENDING_SECONDS = -1
    response = client.post(CODE, {"code": factories.totp_code(device)})
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert "Czas na podanie kodu minął" in client.get(LOGIN).content.decode()


def test_the_code_page_without_a_password_first_goes_to_the_login(client, device):
    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == LOGIN


def test_a_tampered_pending_login_is_refused(client, alice, bob, device):
    _password(client)
    session = client.session
    payload, rest = session[PENDING_KEY].split(":", 1)
    pending = json.loads(signing.b64_decode(payload.encode()))
    assert pending["user"] == alice.pk
    forged = signing.b64_encode(json.dumps({**pending, "user": bob.pk}, separators=(",", ":")).encode()).decode()
    session[PENDING_KEY] = f"{forged}:{rest}"  # the signature no longer matches
    session.save()
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == LOGIN


def test_alices_code_does_not_log_bob_in(client, alice, bob, device):
    factories.enable_two_factor(bob, backup_codes=("5555566666",))
    client.post(LOGIN, {"username": "100002", "password": factories.PASSWORD})
    assert client.post(CODE, {"code": "1111122222"}).status_code == 200  # alice's backup code
    assert client.post(CODE, {"code": factories.totp_code(device)}).status_code == 200
    assert SESSION_KEY not in client.session


def test_customers_without_two_factor_log_in_as_before(client, alice, bob):
    factories.enable_two_factor(bob)
    assert _password(client)["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(alice.pk)


def _code_step_queries(user, backup_codes: int) -> list[int]:
    """The queries of the password, the code page and the right code, for a login with that many backup codes."""
    from django.test import Client

    device = factories.enable_two_factor(user, backup_codes=tuple(f"{user.pk}{n:09d}" for n in range(backup_codes)))
    client = Client()
    password = {"username": user.username, "password": factories.PASSWORD}
    counts = [queries_of(lambda: client.post(LOGIN, password)), queries_of(lambda: client.get(CODE))]
    counts.append(queries_of(lambda: client.post(CODE, {"code": factories.totp_code(device)})))
    assert client.session[SESSION_KEY] == str(user.pk)
    return counts


def test_the_code_step_needs_the_same_number_of_queries_however_many_backup_codes(alice, bob):
    few = _code_step_queries(alice, backup_codes=1)
    many = _code_step_queries(bob, backup_codes=10)
    assert few == many
    password, code_page, code = few
    assert password <= 12 and code_page <= 8 and code <= 30


def test_a_code_typed_during_the_back_off_is_explained_and_not_counted(client, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    _password(client)
    client.post(CODE, {"code": _wrong(device)})
    response = client.post(CODE, {"code": factories.totp_code(device)})
    assert "Odczekaj chwilę i spróbuj ponownie." in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(event="login_failed").count() == 1


def test_an_account_blocked_during_the_code_step_does_not_get_in(client, alice, device):
    from accounts.models import User

    _password(client)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.post(CODE, {"code": factories.totp_code(device)})["Location"] == LOGIN
    assert SESSION_KEY not in client.session
