"""Every page fits a phone (390 px) without sideways scrolling and passes axe at 1280 and 390 px.

The customer has data as long as real data gets (tests/browser/wide_data.py). A page fails when
the document is wider than the viewport, and also when any box inside it scrolls sideways
(a table in .table-responsive keeps the page narrow but hides its right-hand columns off-screen).

EBOK_SCREENSHOTS=folder saves a full-page PNG of each page at 390 px, to look at as a person would.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts import representation, unsubscribe
from accounts.models import CustomerAccess, User
from accounts.services import issue_token
from ebok.models import FailingAddress
from tests import factories
from tests.browser import wide_data
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.usefixtures("today")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Boxes that scroll sideways, and the document if it is wider than the viewport.
SIDEWAYS = """() => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) found.push(`the page is ${root.scrollWidth} px wide`);
  for (const el of document.body.querySelectorAll("*")) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      const classes = String(el.className).trim().split(/\\s+/).filter(Boolean);
      const name = [el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""), ...classes].join(".");
      found.push(`${name} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  return found;
}"""


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _clear_and_submit(page) -> None:
    page.locator("#id_subject").fill("")
    _submit(page)


def _pay_nothing(page) -> None:
    for box in page.locator("main input[name=dokument]").all():
        box.uncheck()
    _submit(page)


def _unsubscribe(page) -> None:
    """The reminders on again (the pass at the other width switched them off), then the button."""
    User.objects.update(notify_reminders=True)
    page.reload()
    _submit(page)


def _login_with_code(page) -> None:
    page.get_by_label("Login").fill("200099")
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    _submit(page)


def _start_two_factor(page) -> None:
    page.locator("input[type=password]").fill(factories.PASSWORD)
    _submit(page)


# (name, path, then): path may use the keys of wide_data.fill's result; `then` acts on the page first.
CUSTOMER_PAGES = [
    ("Pulpit", "/pulpit/", None),
    ("Umowa", "/umowa/", None),
    ("Punkt odbioru", "/punkty-odbioru/", None),
    ("a point", "/punkty-odbioru/{point}/", None),
    ("Płatności", "/platnosci/", None),
    ("Płatności, page 2", "/platnosci/?strona=2&wplaty=2", None),
    ("Zapłać online", "/platnosci-online/zaplac/", None),
    ("Zapłać online, errors", "/platnosci-online/zaplac/", _pay_nothing),
    ("a payment online", "/platnosci-online/{online_payment}/", None),
    ("Dokumenty", "/dokumenty/", None),
    ("Dokumenty ZIP error", "/dokumenty/zip/?zip-od=2026-12-01&zip-do=2026-01-01", None),
    ("a missing PDF", "/dokumenty/faktura/{missing_pdf}/pdf/", None),
    ("Liczniki", "/liczniki/", None),
    ("Podaj odczyt", "/liczniki/{water_meter}/podaj-odczyt/", None),
    ("Podaj odczyt, errors", "/liczniki/{water_meter}/podaj-odczyt/", _submit),
    ("Lista spraw", "/sprawy/", None),
    ("Lista spraw, page 2", "/sprawy/?strona=2", None),
    ("Nowa sprawa", "/sprawy/nowa/", None),
    ("Wniosek o bonifikatę", "/przerwy/{outage}/bonifikata/{point}/", None),
    ("Wniosek o bonifikatę, errors", "/przerwy/{outage}/bonifikata/{point}/", _clear_and_submit),
    ("Nowa sprawa, errors", "/sprawy/nowa/", _submit),
    ("a case", "/sprawy/{case}/", None),
    ("a closed case", "/sprawy/{closed_case}/", None),
    ("a missing attachment", "/sprawy/zalaczniki/{attachment}/", None),
    ("Lista wysłanych wiadomości", "/sprawy/wiadomosci/", None),
    ("Wyszukiwanie zaawansowane", "/sprawy/szukaj/", None),
    ("search results", "/sprawy/szukaj/?q=reklamacja", None),
    ("Dyspozycje i wnioski", "/dyspozycje/", None),
    ("Dyspozycje i wnioski for a point", "/dyspozycje/?punkt={point}", None),
    ("Włączenie ogrzewania", "/dyspozycje/wlaczenie-co/", None),
    ("Włączenie ogrzewania, errors", "/dyspozycje/wlaczenie-co/", _submit),
    ("Wyłączenie ogrzewania", "/dyspozycje/wylaczenie-co/", None),
    ("Nastawy regulatora pogodowego", "/dyspozycje/regulator/", None),
    ("Nastawy regulatora pogodowego, errors", "/dyspozycje/regulator/", _submit),
    ("Zmiana mocy zamówionej", "/dyspozycje/moc-zamowiona/", None),
    ("Zmiana mocy zamówionej, errors", "/dyspozycje/moc-zamowiona/", _submit),
    ("Uzupełnienie zładu instalacji", "/dyspozycje/uzupelnienie-zladu/", None),
    ("Przerwa na prace w budynku", "/dyspozycje/przerwa/", None),
    ("Przerwa na prace w budynku, errors", "/dyspozycje/przerwa/", _submit),
    ("Reklamacja dokumentu", "/dyspozycje/reklamacja/", None),
    ("Reklamacja dokumentu, errors", "/dyspozycje/reklamacja/", _submit),
    ("a request's case", "/sprawy/{heat_case}/", None),
    ("Moje konto", "/moje-konto/", None),
    ("Zmień hasło", "/moje-konto/haslo/", None),
    ("Zmień adres e-mail", "/moje-konto/e-mail/", None),
    ("Potwierdź e-mail", "/potwierdz-e-mail/{email_token}/", None),
    ("Włącz weryfikację dwuetapową", "/moje-konto/weryfikacja-dwuetapowa/wlacz/", None),
    ("Dodaj eBOK do aplikacji", "/moje-konto/weryfikacja-dwuetapowa/wlacz/", _start_two_factor),
    ("not found", "/sprawy/999999/", None),
    ("Dodaj numer odbiorcy", "/moje-konto/dodaj-numer-odbiorcy/", None),
    ("Dodaj numer odbiorcy, errors", "/moje-konto/dodaj-numer-odbiorcy/", _submit),
]

# A property manager (issue #12): the wide customer as właściciel, two more in the other roles.
MANAGER_PAGES = [
    ("Moi odbiorcy", "/moi-odbiorcy/", None),
    ("Moi odbiorcy, sorted", "/moi-odbiorcy/?sort=-saldo", None),
    ("Moi odbiorcy, search", "/moi-odbiorcy/?q=zacisze", None),
    ("Moi odbiorcy, nothing found", "/moi-odbiorcy/?q=nie-ma-takiego", None),
    ("Moi odbiorcy, ZIP error", "/moi-odbiorcy/dokumenty.zip?zip-od=2026-12-01&zip-do=2026-01-01", None),
    ("Sprawy wszystkich odbiorców", "/moi-odbiorcy/sprawy/", None),
    ("Pulpit of one customer", "/odbiorca/200401/pulpit/", None),
    ("Dokumenty of one customer", "/odbiorca/200401/dokumenty/", None),
    ("Moje konto, access", "/odbiorca/200401/moje-konto/", None),
    ("Moje konto, invitation errors", "/odbiorca/200401/moje-konto/", lambda page: _submit_invite(page)),
    ("Nowa sprawa, podgląd", "/odbiorca/200403/sprawy/nowa/", None),
    ("Moje konto, podgląd", "/odbiorca/200403/moje-konto/", None),
    ("a customer without access", "/odbiorca/100001/pulpit/", None),
]


def _submit_invite(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Wyślij zaproszenie").click()


PUBLIC_PAGES = [
    ("home", "/", None),
    ("Logowanie", "/logowanie/", None),
    ("Logowanie, error", "/logowanie/", _submit),
    ("Kod weryfikacyjny", "/logowanie/", _login_with_code),
    ("Rejestracja", "/rejestracja/", None),
    ("Rejestracja, errors", "/rejestracja/", _submit),
    ("Sprawdź skrzynkę", "/rejestracja/wyslano/", None),
    ("Nie pamiętam hasła", "/nie-pamietam-hasla/", None),
    ("Nie pamiętam hasła, sent", "/nie-pamietam-hasla/wyslano/", None),
    ("Ustaw hasło", "/ustaw-haslo/{set_token}/", None),
    ("Ustaw hasło, errors", "/ustaw-haslo/{set_token}/", _submit),
    ("Nowe hasło", "/nowe-haslo/{reset_token}/", None),
    ("a used link", "/ustaw-haslo/nieaktualny/", None),
    ("Hasło zapisane", "/haslo-zapisane/", None),
    ("Wypisz się z powiadomień", "/wypisz/{unsubscribe_token}/", None),
    ("Wypisano z powiadomień", "/wypisz/{unsubscribe_token}/", _unsubscribe),
    ("a bad unsubscribe link", "/wypisz/nieprawidlowy/", None),
    ("Regulamin", "/regulamin/", None),
    ("Polityka prywatności", "/prywatnosc/", None),
    ("Przerwy w dostawie ciepła", "/przerwy/", None),
    ("Przerwy w dostawie ciepła, filtered", "/przerwy/?ulica=Sikorskiego", None),
    ("Przerwy w dostawie ciepła, error", "/przerwy/?miejscowosc=Atlantyda", None),
    ("not found", "/nie-ma-takiej-strony/", None),
    ("Zaproszenie", "/zaproszenie/{invitation}/", None),
    ("Zaproszenie, errors", "/zaproszenie/{invitation}/", _submit),
    ("a used invitation", "/zaproszenie/nieaktualne/", None),
]


def _screenshots(page, stem: Path) -> None:
    """The page at 390 px in screen-high pieces (stem-1.png, stem-2.png, …), small enough to look at."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for n, top in enumerate(range(0, height, 1200), start=1):
        clip = {"x": 0, "y": top, "width": PHONE["width"], "height": min(1200, height - top)}
        page.screenshot(path=f"{stem}-{n}.png", full_page=True, clip=clip)


def _problems(page, pages, paths) -> list[str]:
    shots = os.environ.get("EBOK_SCREENSHOTS")
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for name, path, then in pages:
            page.goto(path.format(**paths))
            if then:
                then(page)
            where = f"{name} ({page.url}) at {size['width']} px"
            if size is PHONE:
                problems += [f"{where}: {found}" for found in page.evaluate(SIDEWAYS)]
                if shots:
                    _screenshots(page, Path(shots) / re.sub(r"\W+", "-", name.lower()).strip("-"))
            try:
                assert_accessible(page)
            except AssertionError as error:
                problems.append(f"{where}: {error}")
    return problems


def _heat_request(user) -> int:
    """A heating start for every point, accepted: the request panel at its longest."""
    from heat import services

    customer = user.customer
    req = services.request_file(
        customer=customer,
        author=user,
        kind="wlaczenie-co",
        points=list(customer.delivery_points.all()),
        requested_at=timezone.now() + timedelta(hours=5),
        comment=wide_data.LONG_STREET,
    )
    services.request_set_status(heat_request=req, status="przyjety", staff_user=None)
    return req.case_id


def test_every_customer_page_fits_a_phone_and_passes_axe(page, login_as, case_types, heat_rules, payu):
    user = factories.make_user(factories.make_customer("200401", kind="firma"))
    paths = wide_data.fill(user)
    paths["online_payment"] = wide_data.online_payment(user)
    paths["heat_case"] = _heat_request(user)
    # The banner of an address a mail server refuses (issue #15) is on every page: with it.
    FailingAddress.objects.create(address=user.email.lower(), reason="rcpt", smtp_code=550, last_reply="User unknown")
    login_as(user)
    problems = _problems(page, CUSTOMER_PAGES, paths)
    assert not problems, "\n".join(problems)


def test_every_public_page_fits_a_phone_and_passes_axe(page, live_server, db):
    waiting = factories.make_user(factories.make_customer("200098"), email=wide_data.LONG_EMAIL)
    waiting.set_unusable_password()
    waiting.save()
    factories.enable_two_factor(factories.make_user(factories.make_customer("200099")))
    owner = factories.make_user(factories.make_customer("200097", name=wide_data.LONG_NAME))
    wide_data.add_interruptions(
        [
            factories.make_point(
                factories.make_contract(owner.customer), street=wide_data.LONG_STREET, city=wide_data.LONG_CITY
            )
        ]
    )
    paths = {
        "invitation": representation.invite(
            customer=owner.customer, email=wide_data.LONG_EMAIL, role="proxy", invited_by=owner
        ),
        "set_token": issue_token(user=waiting, purpose="set_password", lifetime=timedelta(hours=1)),
        "reset_token": issue_token(user=waiting, purpose="reset_password", lifetime=timedelta(hours=1)),
        "unsubscribe_token": unsubscribe.token_for(waiting, "reminders"),
    }
    problems = _problems(page, PUBLIC_PAGES, paths)
    assert not problems, "\n".join(problems)


def test_every_page_of_a_property_manager_fits_a_phone_and_passes_axe(page, login_as, case_types):
    user = factories.make_user(factories.make_customer("200401", kind="firma"))
    paths = wide_data.fill(user)
    for number, role in (("200402", CustomerAccess.Role.PROXY), ("200403", CustomerAccess.Role.VIEWER)):
        other = factories.make_customer(number, kind="firma", name=wide_data.LONG_NAME, street=wide_data.LONG_STREET)
        factories.make_point(factories.make_contract(other), street=wide_data.LONG_STREET, city=wide_data.LONG_CITY)
        factories.make_document(other, gross="1234567.89")
        factories.make_case(other, subject=wide_data.LONG_SUBJECT)
        factories.grant(user, other, role)
    representation.invite(customer=user.customer, email=wide_data.LONG_EMAIL, role="viewer", invited_by=user)
    factories.grant(factories.make_login(wide_data.LONG_EMAIL, email=wide_data.LONG_EMAIL), user.customer, "proxy")
    factories.make_customer("100001")
    login_as(user)
    problems = _problems(page, MANAGER_PAGES, paths)
    assert not problems, "\n".join(problems)
