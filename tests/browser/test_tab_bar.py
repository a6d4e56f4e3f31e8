"""The tab bar: one row of tabs on a wide screen, a "Menu" button that opens them on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

TABS = ["Pulpit", "Umowa", "Punkt odbioru", "Płatności", "Liczniki", "Lista spraw", "Dyspozycje", "Dokumenty"]


def _tab(page, label):
    return page.get_by_role("navigation", name="Menu klienta").get_by_role("link", name=label, exact=True)


def test_on_a_wide_screen_the_tabs_and_wyloguj_sit_in_one_row(page, login_as, alice):
    page.set_viewport_size({"width": 1280, "height": 900})
    login_as(alice)
    page.goto("/pulpit/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    tops = {_tab(page, label).bounding_box()["y"] for label in TABS}
    tops.add(page.get_by_role("button", name="Wyloguj").bounding_box()["y"])
    assert len(tops) == 1, tops


def test_on_a_phone_the_menu_button_opens_the_tabs(page, login_as, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(alice)
    page.goto("/pulpit/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(_tab(page, "Płatności")).to_be_hidden()
    header = page.locator("header").bounding_box()
    assert header["height"] < 200  # the brand, the login line and the button; no rows of tabs

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for label in TABS:
        expect(_tab(page, label)).to_be_visible()
    expect(_tab(page, "Pulpit")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    _tab(page, "Płatności").click()
    expect(page).to_have_url(re.compile("/platnosci/$"))
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
