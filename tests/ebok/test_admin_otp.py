"""The admin needs a password AND a TOTP code; the customer data it shows is audited."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.models import AuditEvent
from tests.factories import PASSWORD, make_staff
from tests.pages import login_redirect

ADMIN = reverse("admin:index")


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def admin_user(db):
    return make_staff("kierownik", superuser=True)


@pytest.fixture
def device(admin_user):
    return TOTPDevice.objects.create(user=admin_user, name="telefon", confirmed=True)


def _login(client, user, token: str):
    return client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "otp_token": token, "next": reverse("admin:index")},
    )


def test_staff_logged_in_without_a_second_factor_cannot_reach_the_admin(client, admin_user, device):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == login_redirect(ADMIN, "admin:login")


def test_the_admin_login_asks_for_the_code(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert 'name="otp_token"' in response.content.decode()
    assert 'autocomplete="one-time-code"' in response.content.decode()


def test_a_password_without_the_code_is_refused(client, admin_user, device):
    response = _login(client, admin_user, "")
    assert response.status_code == 200
    assert client.get(ADMIN)["Location"] == login_redirect(ADMIN, "admin:login")


def test_a_wrong_code_is_refused(client, admin_user, device):
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = _login(client, admin_user, wrong)
    assert response.status_code == 200
    assert client.get(ADMIN)["Location"] == login_redirect(ADMIN, "admin:login")


def test_staff_without_a_device_cannot_log_in(client, admin_user):
    _login(client, admin_user, "123456")
    assert client.get(ADMIN)["Location"] == login_redirect(ADMIN, "admin:login")


def test_the_password_and_a_valid_code_open_the_admin(client, admin_user, device):
    response = _login(client, admin_user, current_code(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_session_cookie_set_at_login_is_httponly_and_samesite(client, admin_user, device):
    _login(client, admin_user, current_code(device))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_failed_admin_login_is_audited(client, admin_user, device):
    client.post(reverse("admin:login"), {"username": admin_user.username, "password": "zle", "otp_token": "1"})
    event = AuditEvent.objects.get(event="admin_login_failed")
    assert event.details["username"] == admin_user.username
    assert event.ip == "127.0.0.1"
    assert event.request_id


def test_repeated_failures_lock_the_admin_login_with_our_429_page(client, admin_user, device, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": admin_user.username, "password": "zle", "otp_token": "1"})
    response = _login(client, admin_user, current_code(device))
    assert response.status_code == 429
    assert "Zbyt wiele prób" in response.content.decode()
    assert client.get(ADMIN)["Location"] == login_redirect(ADMIN, "admin:login")


def _login_page(response) -> str:
    """The login page without its per-request parts (CSRF token, CSP nonce)."""
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_every_failure_of_the_admin_login_gives_the_same_page(client, admin_user, device):
    wrong_code = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    pages = []
    for password, token in [("wrong-password", wrong_code), (PASSWORD, ""), (PASSWORD, wrong_code)]:
        response = client.post(
            reverse("admin:login"),
            {"username": admin_user.username, "password": password, "otp_token": token, "next": "/admin/"},
        )
        assert response.status_code == 200
        pages.append(_login_page(response))
    assert "Nieprawidłowy login, hasło lub kod" in pages[0]
    assert pages[1] == pages[0], "a right password without the code must look like a wrong password"
    assert pages[2] == pages[0], "a right password with a wrong code must look like a wrong password"
    assert PASSWORD not in pages[2]


def test_a_wrong_admin_code_counts_toward_the_lockout(client, admin_user, device, settings):
    from axes.models import AccessAttempt

    wrong_code = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    _login(client, admin_user, wrong_code)
    assert AccessAttempt.objects.filter(username=admin_user.username).get().failures_since_start == 1
