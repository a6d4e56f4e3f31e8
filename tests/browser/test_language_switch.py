import pytest

from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill

pytestmark = pytest.mark.usefixtures("today")


def _switch_to(page, language: str, button: str) -> None:
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("footer").get_by_role("button", name=button).click()


def test_the_footer_switch_turns_the_login_page_english_and_back(page, live_server):
    page.goto("/logowanie/")
    assert page.locator("html").get_attribute("lang") == "pl"
    _switch_to(page, "en", "Zmień")
    assert page.url.endswith("/logowanie/"), "the switch returns to the same page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert page.locator("#language-select").input_value() == "en"
    assert_accessible(page)
    _switch_to(page, "pl", "Change")
    assert page.get_by_role("heading", level=1).inner_text() == "Zaloguj się"


def test_a_customer_who_chose_english_sees_their_pages_in_english(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.goto("/")
    _switch_to(page, "en", "Zmień")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    menu = page.get_by_role("navigation", name="Customer menu")
    menu.get_by_role("link", name="Payments").click()
    page.wait_for_url("**/platnosci/")
    assert "Transfer details" in page.locator("main").inner_text()
    assert_accessible(page)
