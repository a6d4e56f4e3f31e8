from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill


def test_the_points_list_and_a_point_page_are_accessible(page, login_as, alice):
    objects = fill(alice.customer)
    login_as(alice)
    page.goto("/punkty-odbioru/")
    assert_accessible(page)
    page.get_by_role("link", name=objects["point"].code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(objects["point"].code)
    assert objects["meter"].serial in page.locator("main").inner_text()
    assert_accessible(page)
