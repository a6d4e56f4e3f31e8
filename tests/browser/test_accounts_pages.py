"""Every account page passes axe: login, reset, set password, my account and its forms."""

from __future__ import annotations

from accounts.services import issue_token, record_consent
from tests import factories
from tests.browser.axe import assert_accessible


def test_the_login_page_with_an_error_is_accessible(page, live_server, db):
    page.goto("/logowanie/")
    assert_accessible(page)
    page.get_by_label("Login").fill("999999")
    page.get_by_label("Hasło").fill("zle")
    page.get_by_role("button", name="Zatwierdź").click()
    assert page.get_by_text("Nieprawidłowy login lub hasło.").first.is_visible()
    assert_accessible(page)


def test_the_forgotten_password_pages_are_accessible(page, live_server, db):
    from datetime import timedelta

    user = factories.make_user(factories.make_customer("200002"))
    page.goto("/logowanie/")
    page.get_by_role("link", name="Zapomniałeś hasła?").click()
    assert_accessible(page)
    page.get_by_label("Login").fill("200002")
    page.get_by_role("button", name="Wyślij link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sprawdź skrzynkę e-mail"
    assert_accessible(page)
    raw = issue_token(user=user, purpose="reset_password", lifetime=timedelta(hours=1))
    page.goto(f"/nowe-haslo/{raw}/")
    assert_accessible(page)
    page.get_by_label("Nowe hasło").fill("abc")
    page.get_by_label("Powtórz hasło").fill("abc")
    page.get_by_role("button", name="Zapisz").click()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)
    page.goto("/nowe-haslo/nieaktualny/")
    assert page.get_by_role("heading", level=1).inner_text() == "Link jest nieaktualny"
    assert_accessible(page)


def test_my_account_and_its_forms_are_accessible(page, live_server, login_as, db):
    user = factories.make_user(factories.make_customer("200003"), email="konto@example.pl")
    record_consent(customer=user.customer, kind="regulamin", given=True, source="rejestracja")
    record_consent(customer=user.customer, kind="e-faktury", given=True, source="rejestracja")
    login_as(user)
    page.goto("/moje-konto/")
    assert page.get_by_role("heading", level=1).inner_text() == "Moje konto"
    assert_accessible(page)
    page.get_by_label("Zgadzam się na otrzymywanie e-faktur").uncheck()
    page.get_by_role("button", name="Zapisz zgodę").click()
    assert page.get_by_text("Wycofano zgodę na e-faktury.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Zmień hasło").click()
    assert_accessible(page)
    page.goto("/moje-konto/e-mail/")
    assert_accessible(page)
    page.get_by_label("Nowy adres e-mail").fill("nowy@example.pl")
    page.get_by_label("Hasło").fill("zle")
    page.get_by_role("button", name="Wyślij link").click()
    assert page.get_by_text("Hasło jest nieprawidłowe.").first.is_visible()
    assert_accessible(page)


def test_the_terms_and_privacy_pages_are_accessible(page, live_server, db):
    page.goto("/regulamin/")
    assert_accessible(page)
    page.goto("/prywatnosc/")
    assert_accessible(page)
    page.get_by_role("link", name="Deklaracja dostępności").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Deklaracja dostępności"
    assert_accessible(page)


def test_the_password_rules_tick_off_as_the_password_is_typed_and_it_can_be_shown(page, live_server, db):
    from datetime import timedelta

    from playwright.sync_api import expect

    user = factories.make_user(factories.make_customer("200003"))
    raw = issue_token(user=user, purpose="reset_password", lifetime=timedelta(hours=1))
    page.goto(f"/nowe-haslo/{raw}/")
    upper = page.locator('#password-requirements li[data-rule="upper"]')
    digit = page.locator('#password-requirements li[data-rule="digit"]')
    expect(upper).not_to_have_class("rule-met")
    page.get_by_label("Nowe hasło").press_sequentially("Ab")
    expect(upper).to_have_class("rule-met")
    expect(upper).to_contain_text("(spełnione)")
    expect(digit).to_contain_text("(jeszcze niespełnione)")
    password = page.locator("#id_new_password1")
    expect(password).to_have_attribute("type", "password")
    page.get_by_role("button", name="Pokaż hasło").click()
    expect(password).to_have_attribute("type", "text")
    expect(page.get_by_role("button", name="Ukryj hasło")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)


def test_the_not_me_pages_are_accessible_and_fit_a_phone(page, live_server, db):
    from django.core import signing

    from accounts.services import NOT_ME_SALT

    user = factories.make_user(factories.make_customer("200004"), email="intruz@example.com")
    raw = signing.dumps({"user": user.pk, "email": user.email}, salt=NOT_ME_SALT, compress=True)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/to-nie-ja/{raw}/")
    assert page.get_by_role("heading", level=1).inner_text() == "To nie ja"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert_accessible(page)
    page.get_by_role("button", name="Zablokuj konto").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dziękujemy za zgłoszenie"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert_accessible(page)
