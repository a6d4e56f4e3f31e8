"""A property manager in a real browser (issue #12), with axe on every page at 390 px and desktop:
the właściciel invites, the manager accepts, works for three customers in two tabs, exports across
them; the właściciel makes the role podgląd, then revokes it, and the open session feels both."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import CustomerAccess
from cases.models import Case
from ebok.models import OutboundEmail
from tests import factories
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.usefixtures("case_types", "today")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _check(page) -> None:
    """axe at both widths, and no sideways scrolling on the phone."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(DESKTOP)


def _new_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", timezone_id="Europe/Warsaw", reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def test_a_manager_is_invited_works_for_three_customers_and_loses_access(browser, live_server, alice, settings):
    settings.PRIVATE_ROOT.joinpath("pdf").mkdir(exist_ok=True)
    factories.make_document(alice.customer, "FV/2026/10/A1", pdf=factories.write_pdf("pdf/a1.pdf"))
    manager = factories.make_login("zarzadca@example.pl", email="zarzadca@example.pl")
    for number in ("300001", "300002"):
        customer = factories.make_customer(number, kind="firma", name=f"Wspólnota Mieszkaniowa {number}")
        factories.make_point(factories.make_contract(customer), street=f"Kwiatowa {number[-1]}")
        factories.make_document(customer, f"FV/2026/10/{number}", pdf=factories.write_pdf(f"pdf/{number}.pdf"))
        factories.grant(manager, customer, CustomerAccess.Role.PROXY)

    # The właściciel invites the manager as pełnomocnik from Moje konto.
    owner = _new_page(browser, live_server)
    owner.goto("/logowanie/")
    owner.get_by_label("Login").fill("100001")
    owner.get_by_label("Hasło").fill(factories.PASSWORD)
    owner.get_by_role("button", name="Zatwierdź").click()
    owner.wait_for_url("**/pulpit/")
    owner.goto("/moje-konto/")
    owner.get_by_label("Adres e-mail osoby zapraszanej").fill("zarzadca@example.pl")
    owner.locator("input[name=role][value=proxy]").check()
    owner.get_by_role("button", name="Wyślij zaproszenie").click()
    expect(owner.get_by_role("status").first).to_contain_text("Wysłaliśmy zaproszenie")
    _check(owner)
    link = re.search(r"/zaproszenie/[^\s]+/", OutboundEmail.objects.get(template="access-invitation").body_text)[0]

    # The manager signs in with its e-mail address and accepts.
    tab1 = _new_page(browser, live_server)
    tab1.goto(link)
    _check(tab1)
    tab1.get_by_role("link", name="Zaloguj się i przyjmij zaproszenie").click()
    tab1.get_by_label("Login").fill("zarzadca@example.pl")
    tab1.get_by_label("Hasło").fill(factories.PASSWORD)
    tab1.get_by_role("button", name="Zatwierdź").click()
    tab1.wait_for_url(f"**{link}")
    tab1.get_by_role("button", name="Przyjmij zaproszenie").click()
    tab1.wait_for_url("**/odbiorca/100001/pulpit/")
    expect(tab1.locator(".shown-customer")).to_have_text("100001")

    # Moi odbiorcy: three customers.
    tab1.get_by_role("link", name="Zmień odbiorcę").click()
    tab1.wait_for_url("**/moi-odbiorcy/")
    rows = tab1.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(3)
    _check(tab1)
    tab1.get_by_label("Szukaj odbiorcy").fill("kwiatowa 2")
    tab1.get_by_role("button", name="Szukaj").click()
    expect(rows).to_have_count(1)
    tab1.goto("/moi-odbiorcy/")

    # Two tabs on two customers, side by side in one session.
    tab2 = tab1.context.new_page()
    tab1.get_by_role("link", name="100001").click()
    tab2.goto("/moi-odbiorcy/")
    tab2.get_by_role("link", name="300002").click()
    tab1.get_by_role("navigation", name="Menu klienta").get_by_role("link", name="Dokumenty").click()
    tab2.get_by_role("navigation", name="Menu klienta").get_by_role("link", name="Dokumenty").click()
    expect(tab1.get_by_role("rowheader", name="FV/2026/10/A1")).to_be_visible()
    expect(tab2.get_by_role("rowheader", name="FV/2026/10/300002")).to_be_visible()
    assert "FV/2026/10/300002" not in tab1.content() and "FV/2026/10/A1" not in tab2.content()
    _check(tab2)

    # A case for alice's customer from the first tab.
    tab1.goto("/odbiorca/100001/sprawy/nowa/")
    tab1.get_by_label("Typ sprawy").select_option(label="Reklamacja")
    tab1.get_by_label("Temat").fill("Grzejnik w klatce B")
    tab1.get_by_label("Treść wiadomości").fill("Nie grzeje od wczoraj.")
    tab1.get_by_role("button", name="Wyślij sprawę").click()
    tab1.wait_for_url(re.compile(r"/odbiorca/100001/sprawy/\d+/$"))
    assert Case.objects.get(subject="Grzejnik w klatce B").customer_id == "100001"
    _check(tab1)

    # Across customers: the CSV and the ZIP.
    tab1.goto("/moi-odbiorcy/")
    with tab1.expect_download() as csv_download:
        tab1.get_by_role("link", name="Otwarte dokumenty wszystkich odbiorców (CSV)").click()
    with open(csv_download.value.path(), encoding="utf-8-sig") as exported:
        text = exported.read()
    assert "FV/2026/10/A1" in text and "FV/2026/10/300001" in text
    tab1.get_by_label("Rok").fill("2026")
    with tab1.expect_download() as zip_download:
        tab1.get_by_role("button", name="Pobierz dokumenty (ZIP)").click()
    assert zip_download.value.suggested_filename.endswith(".zip")

    # The właściciel makes the role podgląd: the manager's open tab no longer posts.
    tab1.goto("/odbiorca/100001/sprawy/nowa/")
    owner.goto("/moje-konto/")
    owner.get_by_label("Rola: zarzadca@example.pl").select_option("viewer")
    owner.get_by_role("button", name="Zmień rolę").click()
    expect(owner.get_by_role("status").first).to_contain_text("Zmieniono rolę")
    tab1.get_by_label("Temat").fill("Druga sprawa")
    tab1.get_by_label("Treść wiadomości").fill("Już nie wolno.")
    tab1.get_by_label("Typ sprawy").select_option(label="Reklamacja")
    tab1.get_by_role("button", name="Wyślij sprawę").click()
    expect(tab1.get_by_role("alert").first).to_contain_text("tylko na podgląd")
    assert not Case.objects.filter(subject="Druga sprawa").exists()
    expect(tab1.get_by_role("button", name="Wyślij sprawę")).to_have_count(0)
    _check(tab1)

    # Then revokes it: the open session gets 404 for that customer at once.
    owner.get_by_role("button", name="Cofnij dostęp zarzadca@example.pl").click()
    expect(owner.get_by_role("status").first).to_contain_text("Cofnięto dostęp")
    response = tab1.goto("/odbiorca/100001/dokumenty/")
    assert response.status == 404
    tab2.reload()
    expect(tab2.get_by_role("rowheader", name="FV/2026/10/300002")).to_be_visible()  # the others stay
    owner.context.close()
    tab1.context.close()
