import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_staff


def test_it_enrols_a_confirmed_device_and_prints_the_uri_and_a_qr_code(db):
    user = make_staff("kierownik")
    out = io.StringIO()
    call_command("add_totp_device", "kierownik", stdout=out)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert device.config_url in out.getvalue()
    assert out.getvalue().count("\n") > 10  # the QR code's rows


def test_it_refuses_a_second_device_unless_told_to_replace(db):
    user = make_staff("kierownik")
    call_command("add_totp_device", "kierownik", "--no-qr", stdout=io.StringIO())
    first = TOTPDevice.objects.get(user=user)
    with pytest.raises(CommandError):
        call_command("add_totp_device", "kierownik", stdout=io.StringIO())
    call_command("add_totp_device", "kierownik", "--replace", "--no-qr", stdout=io.StringIO())
    assert TOTPDevice.objects.get(user=user).pk != first.pk


def test_it_refuses_customers_and_unknown_users(alice):
    with pytest.raises(CommandError):
        call_command("add_totp_device", alice.username, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("add_totp_device", "nikt", stdout=io.StringIO())
