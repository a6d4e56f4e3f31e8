"""Weryfikacja dwuetapowa in the browser: enable in Moje konto → log out → log in with the code."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser.axe import assert_accessible


def test_a_customer_enables_two_factor_and_logs_in_with_the_code(page, live_server, login_as, db):
    user = factories.make_user(factories.make_customer("200010"), email="dwa@example.pl")
    login_as(user)
    page.goto("/moje-konto/")
    assert page.get_by_role("heading", name="Weryfikacja dwuetapowa").is_visible()
    page.get_by_role("link", name="Włącz weryfikację dwuetapową").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Włącz weryfikację dwuetapową"
    assert_accessible(page)

    page.get_by_label("Hasło").fill("Zle-haslo1")
    page.get_by_role("button", name="Dalej").click()
    page.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert_accessible(page)
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    page.get_by_role("button", name="Dalej").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Dodaj eBOK do aplikacji"
    assert page.get_by_role("img", name="Kod QR do zeskanowania aplikacją uwierzytelniającą").is_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.locator("#totp-secret").inner_text().replace(" ", "") in device.config_url
    page.get_by_label("Kod z aplikacji").fill(factories.totp_code(device))
    page.get_by_role("button", name="Włącz weryfikację dwuetapową").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Kody zapasowe"
    assert page.locator(".backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Zapisałem kody, wróć do ustawień konta").click()
    assert page.get_by_text("Włączona: logujesz się hasłem").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Wyloguj").click()
    page.get_by_label("Login").fill("200010")
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    page.get_by_role("button", name="Zatwierdź").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kod weryfikacyjny"
    assert_accessible(page)
    page.get_by_label("Kod weryfikacyjny").fill("000000" if factories.totp_code(device, 1) != "000000" else "111111")
    page.get_by_role("button", name="Zatwierdź").click()
    assert page.get_by_text("Nieprawidłowy kod weryfikacyjny.").first.is_visible()
    assert_accessible(page)
    # The enabling code's period is used up; the app's next code is accepted (one period of tolerance).
    page.get_by_label("Kod weryfikacyjny").fill(factories.totp_code(device, steps_ahead=1))
    page.wait_for_timeout(1100)  # django-otp's one-second back-off after the wrong code
    page.get_by_role("button", name="Zatwierdź").click()
    assert page.get_by_text("Odbiorca 200010").is_visible()
    assert_accessible(page)
