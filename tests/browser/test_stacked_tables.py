"""Tables on a phone: each row a labelled block, and still a table to a screen reader."""

from __future__ import annotations

import pytest

from tests.browser.customer_data import fill

pytestmark = pytest.mark.usefixtures("today")

TABLE_ROLES = ("table", "caption", "row", "columnheader", "rowheader", "cell")


def _table_roles(page) -> dict[str, int]:
    """How many of each table role Chromium's own accessibility tree has (what a screen reader gets)."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    return {role: roles.count(role) for role in TABLE_ROLES}


def _first_due_date_cell(page) -> dict:
    return page.evaluate(
        """() => {
          const cell = document.querySelector('td[data-label="Termin płatności"]');
          const amount = document.querySelector('td.num');
          return {
            label: getComputedStyle(cell, "::before").content,
            header_height: document.querySelector("thead").getBoundingClientRect().height,
            amount_align: getComputedStyle(amount).textAlign,
          };
        }"""
    )


def test_payments_rows_stack_with_labels_on_a_phone_and_stay_a_table(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/platnosci/")
    wide = _table_roles(page)
    cell = _first_due_date_cell(page)
    assert cell["label"] == "none" and cell["header_height"] > 20
    assert cell["amount_align"] == "right"

    page.set_viewport_size({"width": 390, "height": 844})
    cell = _first_due_date_cell(page)
    assert cell["label"] == '"Termin płatności"'  # each cell says which column it is
    assert cell["header_height"] <= 1  # the header row is out of sight…
    assert _table_roles(page) == wide  # …but a screen reader still has the same table, headers and all
    assert wide["table"] == 2 and wide["caption"] == 2 and wide["columnheader"] == 11
