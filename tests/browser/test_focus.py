"""Every kind of control shows the same strong focus outline as a link."""

from __future__ import annotations

import pytest

OUTLINE = "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"


@pytest.mark.parametrize(
    "selector",
    ["#id_customer_number", "#id_accept_terms", "button[type=submit]", "#language-select", "a[href='/logowanie/']"],
)
def test_inputs_checkboxes_buttons_and_selects_show_a_strong_focus(page, live_server, db, selector):
    page.goto("/rejestracja/")
    control = page.locator(selector).first
    control.focus()
    page.keyboard.press("Shift+Tab")  # keyboard focus, as :focus-visible needs for buttons and links
    page.keyboard.press("Tab")
    assert control.evaluate(OUTLINE) == ["solid", "3px"]
