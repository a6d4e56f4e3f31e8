"""The whole journey of the seed: register → link from the e-mail → set password → log in → log out."""

from __future__ import annotations

import datetime as dt
import re

from accounts.models import User
from ebok.models import OutboundEmail
from tests import factories
from tests.browser.axe import assert_accessible


def _link_in_last_email(live_server, marker: str) -> str:
    body = OutboundEmail.objects.latest("created_at").body_text
    (path,) = [p for p in re.findall(r"https?://[^/\s]+(/\S*)", body) if marker in p]
    return live_server.url + path


def test_a_customer_registers_sets_a_password_logs_in_and_out(page, live_server):
    customer = factories.make_customer("200001", name="Jan Testowy", email="jan@example.pl")
    factories.make_document(customer, "FV/2026/10/000777", issue_date=dt.date(2026, 10, 5))

    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Zarejestruj się").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rejestracja użytkownika"
    assert_accessible(page)
    page.get_by_label("Numer odbiorcy").fill("200001")
    page.get_by_label("Numer ostatniej faktury").fill("fv/2026/10/000777")
    page.get_by_label("E-mail").fill("jan@example.pl")
    page.get_by_label("Akceptuję regulamin portalu i zgadzam się z jego postanowieniami").check()
    page.get_by_label("Zgadzam się na przetwarzanie danych").check()
    page.get_by_label("Zgadzam się na otrzymywanie e-faktur").check()
    page.get_by_role("button", name="Zarejestruj się").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sprawdź skrzynkę e-mail"
    assert_accessible(page)

    page.goto(_link_in_last_email(live_server, "/ustaw-haslo/"))
    assert page.get_by_role("heading", name="Ustaw hasło do portalu").is_visible()
    assert page.get_by_text("Minimalna długość hasła 6 znaków").is_visible()
    assert_accessible(page)
    page.get_by_label("Nowe hasło").fill("Ciepło2026")
    page.get_by_label("Powtórz hasło").fill("Ciepło2026")
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hasło zapisane"
    assert_accessible(page)
    assert User.objects.get(username="200001").status == User.Status.ACTIVE

    page.get_by_role("link", name="Zaloguj się").click()
    assert_accessible(page)
    page.get_by_label("Login").fill("200001")
    page.get_by_label("Hasło").fill("Ciepło2026")
    page.get_by_role("button", name="Zatwierdź").click()
    assert page.get_by_text("Odbiorca 200001").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Wyloguj").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Zaloguj się"
    assert page.get_by_text("Wylogowano.").is_visible()
    assert page.get_by_text("Odbiorca 200001").count() == 0
    assert_accessible(page)


def test_a_failed_registration_shows_an_error_summary_that_takes_focus(page, live_server):
    page.goto("/rejestracja/")
    page.get_by_label("Numer odbiorcy").fill("12ab")
    page.get_by_role("button", name="Zarejestruj się").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("Numer odbiorcy").input_value() == "12ab"
    assert_accessible(page)
