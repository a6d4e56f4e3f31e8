"""`manage.py check` in a production environment without PayU's keys warns (onlinepay.W001)."""

from tests.ebok.test_security_settings import PRODUCTION_ENV, _manage


def test_check_in_production_without_payu_keys_warns():
    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("EBOK_PAYU_")}
    result = _manage("check", env=env)
    assert "onlinepay.W001" in result.stdout + result.stderr
