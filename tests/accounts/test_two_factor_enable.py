"""Moje konto → "Włącz weryfikację dwuetapową": password, QR code, a current code, backup codes."""

import time

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.views_2fa import SETUP_KEY
from ebok.models import AuditEvent
from tests import factories
from tests.pages import login_redirect
from tests.queries import queries_of

ENABLE = reverse("accounts:two_factor_enable")
CONFIRM = reverse("accounts:two_factor_confirm")
CODES = reverse("accounts:two_factor_backup_codes")


@pytest.fixture(autouse=True)
def _no_otp_backoff(settings):
    # django-otp makes a device wait 1 s after a wrong code; these tests type the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _start(client) -> TOTPDevice:
    response = client.post(ENABLE, {"password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == CONFIRM
    return TOTPDevice.objects.get(pk=client.session[SETUP_KEY]["device"], confirmed=False)


def test_my_account_offers_to_switch_it_on(alice_client):
    page = alice_client.get(reverse("accounts:my_account")).content.decode()
    assert "Weryfikacja dwuetapowa" in page
    assert ENABLE in page


def test_a_wrong_password_starts_nothing(alice_client):
    response = alice_client.post(ENABLE, {"password": "Zle-haslo1"})
    assert response.status_code == 200
    assert "Hasło jest nieprawidłowe." in response.content.decode()
    assert 'autocomplete="current-password"' in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_the_password_leads_to_a_qr_code_with_a_text_alternative_and_the_key(alice_client, alice):
    device = _start(alice_client)
    assert device.user == alice
    page = alice_client.get(CONFIRM).content.decode()
    assert '<svg role="img" aria-label="Kod QR do zeskanowania aplikacją uwierzytelniającą"' in page
    assert factories.totp_code(device) not in page  # the code itself is what proves the scan
    secret = page.split('id="totp-secret">')[1].split("<")[0].replace(" ", "")
    assert f"secret={secret}" in device.config_url
    assert 'href="otpauth://totp/' in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page


def test_a_wrong_code_does_not_confirm_the_device(alice_client, send_queued_mail):
    device = _start(alice_client)
    wrong = f"{(int(factories.totp_code(device)) + 1) % 1_000_000:06d}"
    response = alice_client.post(CONFIRM, {"code": wrong})
    assert response.status_code == 200
    assert "Kod jest nieprawidłowy" in response.content.decode()
    assert f'value="{wrong}"' in response.content.decode()  # what was typed stays
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.exists()
    assert send_queued_mail() == []


def test_a_malformed_code_gets_a_clear_error(alice_client):
    _start(alice_client)
    response = alice_client.post(CONFIRM, {"code": "12ab"})
    assert "Wpisz sześć cyfr z aplikacji" in response.content.decode()
    assert "data-error-summary" in response.content.decode()


def test_a_current_code_confirms_the_device_and_shows_backup_codes_once(alice_client, alice, send_queued_mail):
    device = _start(alice_client)
    response = alice_client.post(CONFIRM, {"code": factories.totp_code(device)})
    assert response.status_code == 302 and response["Location"] == CODES
    device.refresh_from_db()
    assert device.confirmed
    tokens = list(
        StaticToken.objects.filter(device__user=alice, device__confirmed=True).values_list("token", flat=True)
    )
    assert len(tokens) == 10 and all(len(t) == 10 and t.isdigit() for t in tokens)

    page = alice_client.get(CODES).content.decode()
    for token in tokens:
        assert f"{token[:5]}-{token[5:]}" in page
    assert alice_client.get(CODES)["Location"] == reverse("accounts:my_account")  # shown only once

    assert alice_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session is verified
    assert AuditEvent.objects.filter(event="two_factor_enabled", customer_number="100001").exists()
    (notice,) = send_queued_mail()
    assert notice.to == ["alice@example.pl"]
    assert "weryfikacja dwuetapowa" in notice.body and "100001" in notice.body


def test_my_account_then_shows_it_on_with_the_backup_codes_left(alice_client, alice):
    factories.enable_two_factor(alice)
    page = alice_client.get(reverse("accounts:my_account")).content.decode()
    assert "Włączona" in page and "Zostały 2 niewykorzystane kody zapasowe." in page
    assert reverse("accounts:two_factor_disable") in page
    assert alice_client.get(ENABLE)["Location"] == reverse("accounts:my_account")


def test_the_code_page_without_a_started_setup_sends_back_to_the_start(alice_client):
    assert alice_client.get(CONFIRM)["Location"] == ENABLE


def test_a_setup_left_for_too_long_must_start_again(alice_client):
    device = _start(alice_client)
    session = alice_client.session
    session[SETUP_KEY] = {"device": device.pk, "at": int(time.time()) - 3600}
    session.save()
    assert alice_client.post(CONFIRM, {"code": factories.totp_code(device)})["Location"] == ENABLE
    device.refresh_from_db()
    assert not device.confirmed


def test_starting_again_replaces_the_unfinished_device(alice_client):
    first = _start(alice_client)
    second = _start(alice_client)
    assert list(TOTPDevice.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk


def test_bob_cannot_confirm_or_see_alices_device(client, alice, bob):
    client.force_login(alice)
    alices = _start(client)
    client.force_login(bob)
    # Bob has no setup of his own: alice's device is out of his reach, whatever code he has.
    assert client.post(CONFIRM, {"code": factories.totp_code(alices)})["Location"] == ENABLE
    assert "secret" not in client.get(CONFIRM).content.decode()
    _start(client)  # bob's own setup leaves alice's device alone
    assert TOTPDevice.objects.filter(pk=alices.pk, user=alice, confirmed=False).exists()
    bobs = TOTPDevice.objects.get(user=bob)
    client.post(CONFIRM, {"code": factories.totp_code(alices)})
    bobs.refresh_from_db()
    alices.refresh_from_db()
    assert not bobs.confirmed and not alices.confirmed


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for url in (ENABLE, CONFIRM, CODES, reverse("accounts:two_factor_disable")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == login_redirect(url)


def _enable_queries(user) -> list[int]:
    """The queries of each step of switching it on: my account, the password, the QR code, the code."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    counts = [queries_of(lambda: client.get(reverse("accounts:my_account"))), queries_of(lambda: client.get(ENABLE))]
    device = _start(client)
    counts.append(queries_of(lambda: client.get(CONFIRM)))
    counts.append(queries_of(lambda: client.post(CONFIRM, {"code": factories.totp_code(device)})))
    device.refresh_from_db()
    assert device.confirmed
    return counts


def test_the_pages_need_the_same_number_of_queries_however_many_devices_others_have(alice, bob):
    few = _enable_queries(alice)
    for _ in range(5):  # other customers' devices do not make the pages slower
        factories.enable_two_factor(factories.make_user())
    many = _enable_queries(bob)
    assert few == many
    my_account, password_page, qr_code, code = few
    assert my_account <= 12 and password_page <= 10 and qr_code <= 10 and code <= 25


def test_a_code_typed_during_the_back_off_after_a_wrong_one_is_explained(alice_client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = _start(alice_client)
    alice_client.post(CONFIRM, {"code": f"{(int(factories.totp_code(device)) + 1) % 1_000_000:06d}"})
    response = alice_client.post(CONFIRM, {"code": factories.totp_code(device)})
    assert "Odczekaj chwilę i spróbuj ponownie." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_switching_it_on_ends_every_other_session_and_keeps_this_one(alice_client, alice):
    from django.test import Client

    my_account = reverse("accounts:my_account")
    elsewhere = Client()  # e.g. a forgotten session on another computer, without the code
    elsewhere.force_login(alice)
    assert elsewhere.get(my_account).status_code == 200

    device = _start(alice_client)
    alice_client.post(CONFIRM, {"code": factories.totp_code(device)})

    assert alice_client.get(my_account).status_code == 200
    response = elsewhere.get(my_account)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_an_account_whose_sessions_were_never_ended_keeps_djangos_session_hash(alice):
    from django.contrib.auth.base_user import AbstractBaseUser

    assert alice.session_epoch == 0
    assert alice.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(alice)
