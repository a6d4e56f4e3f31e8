from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories


def test_it_prints_a_code_the_admin_login_accepts(db, settings):
    settings.DEBUG = True
    user = factories.make_staff("admin", superuser=True)
    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    out = StringIO()
    call_command("demo_totp_code", stdout=out)
    code = out.getvalue().split()[0]
    assert len(code) == 6 and device.verify_token(code)


def test_it_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_totp_code")
