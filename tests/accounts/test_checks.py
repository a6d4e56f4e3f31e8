from accounts.checks import recaptcha_not_disabled_in_production


def test_a_disabled_captcha_without_debug_is_an_error(settings):
    settings.DEBUG = False
    settings.RECAPTCHA_DISABLED = True
    (error,) = recaptcha_not_disabled_in_production(None)
    assert error.id == "accounts.E001"
    assert error.is_serious()


def test_a_disabled_captcha_with_debug_is_fine(settings):
    settings.DEBUG = True
    settings.RECAPTCHA_DISABLED = True
    assert recaptcha_not_disabled_in_production(None) == []


def test_an_enabled_captcha_is_fine_in_production(settings):
    settings.DEBUG = False
    settings.RECAPTCHA_DISABLED = False
    assert recaptcha_not_disabled_in_production(None) == []


def test_the_check_is_registered_with_django(settings):
    from django.core import checks

    settings.DEBUG = False
    settings.RECAPTCHA_DISABLED = True
    assert "accounts.E001" in [e.id for e in checks.run_checks()]
