import pytest

from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill

pytestmark = pytest.mark.usefixtures("today")


def test_the_start_page_shows_what_is_due_and_is_accessible(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.goto("/")
    assert page.url.endswith("/pulpit/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pulpit"
    assert "Do zapłaty" in page.locator("main").inner_text()
    assert page.get_by_role("navigation", name="Menu klienta").get_by_role("link", name="Płatności").is_visible()
    assert_accessible(page)
