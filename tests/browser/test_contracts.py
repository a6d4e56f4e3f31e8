from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill


def test_the_contract_page_is_accessible(page, login_as, alice):
    objects = fill(alice.customer)
    login_as(alice)
    page.goto("/umowa/")
    assert objects["contract"].number in page.locator("h2").first.inner_text()
    assert_accessible(page)
