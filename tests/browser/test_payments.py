import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill

pytestmark = pytest.mark.usefixtures("today")


def test_the_payments_page_with_qr_codes_is_accessible_and_prints_without_filters(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.goto("/platnosci/")
    assert page.locator("img.qr-code").count() == 1  # the last invoice; the 12 000 zł one gets text only
    # A lazy image may still be loading; wait_for_function would poll with eval, which the CSP forbids.
    expect(page.locator("img.qr-code")).to_have_js_property("complete", True)
    assert page.evaluate("document.querySelector('img.qr-code').naturalWidth") > 100  # the SVG loaded
    assert "kod QR do przelewu nie może zawierać" in page.locator("main").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    assert page.locator("img.qr-code").is_visible()


def test_filtering_by_status_keeps_the_page_accessible(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.goto("/platnosci/")
    page.get_by_label("Status").select_option("paid")
    page.get_by_role("button", name="Pokaż").click()
    expect(page).to_have_url(re.compile(r"status=paid"))
    assert page.locator("img.qr-code").count() == 0
    assert_accessible(page)
