"""A password asked again in Moje konto counts its failures like a login and locks after the same limit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountAttempt
from ebok.models import AuditEvent
from tests import factories

WRONG = "Zle-haslo-1"


def _enable(client, password):
    return client.post(reverse("accounts:two_factor_enable"), {"password": password})


def _disable(client, password):
    return client.post(reverse("accounts:two_factor_disable"), {"password": password})


def _change_email(client, password):
    return client.post(reverse("accounts:change_email"), {"email": "nowy@example.pl", "password": password})


def _change_password(client, password):
    new = "Nowe-Haslo-2026"
    return client.post(
        reverse("accounts:change_password"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )


FORMS = [_enable, _change_email, _change_password, _disable]


@pytest.fixture
def two_factor_if_needed(alice):
    def setup(form):
        if form is _disable:
            TOTPDevice.objects.create(user=alice, name="aplikacja", confirmed=True)

    return setup


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_a_wrong_password_is_a_failed_login(alice_client, alice, form, two_factor_if_needed):
    two_factor_if_needed(form)
    response = form(alice_client, WRONG)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(event="login_failed", customer_number=alice.username).count() == 1
    assert AccountAttempt.objects.filter(kind="login", customer_number=alice.username).count() == 1


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_the_same_limit_as_the_login_locks_the_form_even_for_the_right_password(
    alice_client, alice, bob, form, settings, two_factor_if_needed
):
    two_factor_if_needed(form)
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert form(alice_client, WRONG).status_code == 200
    response = form(alice_client, WRONG)
    assert response.status_code == 429
    assert "Zbyt wiele błędnych haseł" in response.content.decode()
    response = form(alice_client, factories.PASSWORD)
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(factories.PASSWORD) and alice.email == "alice@example.pl"
    # The login of the same number from the same address is locked too: it is one count.
    other = alice_client.__class__()
    login = other.post(reverse("accounts:login"), {"username": alice.username, "password": factories.PASSWORD})
    assert login.status_code == 429
    # Bob is not affected.
    login = other.post(reverse("accounts:login"), {"username": bob.username, "password": factories.PASSWORD})
    assert login.status_code == 302


def test_the_right_password_still_works_below_the_limit(alice_client, alice):
    assert _change_email(alice_client, WRONG).status_code == 200
    response = _change_email(alice_client, factories.PASSWORD)
    assert response.status_code == 302
