"""Moje konto → "Wyłącz weryfikację dwuetapową": only with the password; a notice by e-mail."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.models import AuditEvent
from tests import factories
from tests.queries import queries_of

URL = reverse("accounts:two_factor_disable")


@pytest.fixture
def device(alice):
    return factories.enable_two_factor(alice)


def test_the_page_asks_for_the_password(alice_client, device):
    page = alice_client.get(URL).content.decode()
    assert "Wyłącz weryfikację dwuetapową" in page and 'autocomplete="current-password"' in page


def test_a_wrong_password_keeps_it_on(alice_client, alice, device, send_queued_mail):
    response = alice_client.post(URL, {"password": "Zle-haslo1"})
    assert response.status_code == 200
    assert "Hasło jest nieprawidłowe." in response.content.decode()
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert StaticDevice.objects.filter(user=alice).exists()
    assert send_queued_mail() == []


def test_the_password_switches_it_off_and_mails_a_notice(client, alice, device, send_queued_mail):
    client.force_login(alice)
    response = client.post(URL, {"password": factories.PASSWORD})
    assert response["Location"] == reverse("accounts:my_account")
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(event="two_factor_disabled", customer_number="100001").exists()
    (notice,) = send_queued_mail()
    assert notice.to == ["alice@example.pl"] and "wyłączona weryfikacja dwuetapowa" in notice.body
    client.post(reverse("accounts:logout"))
    # The next login needs only the password again.
    login = client.post(reverse("accounts:login"), {"username": "100001", "password": factories.PASSWORD})
    assert login["Location"] == reverse("home")


def test_without_two_factor_the_page_returns_to_my_account(alice_client):
    assert alice_client.get(URL)["Location"] == reverse("accounts:my_account")


def test_bob_switching_his_off_leaves_alices_alone(client, alice, bob, device):
    factories.enable_two_factor(bob)
    client.force_login(bob)
    client.post(URL, {"password": factories.PASSWORD})
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert StaticDevice.objects.filter(user=alice).exists()


def test_bob_without_two_factor_cannot_switch_off_alices(client, alice, bob, device):
    client.force_login(bob)
    assert client.post(URL, {"password": factories.PASSWORD})["Location"] == reverse("accounts:my_account")
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def _disable_queries(user) -> tuple[int, int]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = queries_of(lambda: client.get(URL))
    switch_off = queries_of(lambda: client.post(URL, {"password": factories.PASSWORD}))
    assert not TOTPDevice.objects.filter(user=user).exists()
    return page, switch_off


def test_it_needs_the_same_number_of_queries_however_many_codes_and_devices(alice, bob, device):
    few = _disable_queries(alice)
    factories.enable_two_factor(bob, backup_codes=tuple(f"{n:010d}" for n in range(10)))
    for _ in range(5):  # other customers' devices
        factories.enable_two_factor(factories.make_user())
    many = _disable_queries(bob)
    assert few == many
    page, switch_off = few
    # The password is checked as a login is (axes' lockout, the user by number).
    assert page <= 8 and switch_off <= 27


def test_switching_it_off_ends_every_other_session_and_keeps_this_one(client, alice, device):
    from django.test import Client

    my_account = reverse("accounts:my_account")
    elsewhere = Client()
    elsewhere.force_login(alice)
    client.force_login(alice)

    client.post(URL, {"password": factories.PASSWORD})

    assert client.get(my_account).status_code == 200
    response = elsewhere.get(my_account)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
