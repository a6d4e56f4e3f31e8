import pytest
from playwright.sync_api import expect

from meters.models import SelfReading
from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill

pytestmark = pytest.mark.usefixtures("today")


def test_the_meters_page_with_its_chart_is_accessible(page, login_as, alice):
    objects = fill(alice.customer)
    login_as(alice)
    page.goto("/liczniki/")
    assert page.locator("figure.chart svg[role=img]").count() == 1
    assert "kończy się w ciągu 90 dni" in page.locator("main").inner_text()
    assert objects["meter"].serial in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_self_reading_error_focuses_the_summary_keeps_the_value_and_then_succeeds(page, login_as, alice):
    objects = fill(alice.customer)
    login_as(alice)
    page.goto("/liczniki/")
    page.get_by_role("link", name=f"Podaj odczyt {objects['meter'].serial}").click()
    assert_accessible(page)
    page.get_by_label("Wskazanie licznika").fill("1,5")
    page.get_by_role("button", name="Wyślij odczyt").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.get_by_label("Wskazanie licznika").input_value() == "1,5"
    assert_accessible(page)
    last = objects["meter"].readings.order_by("-date").first().value
    page.get_by_label("Wskazanie licznika").fill(f"{last + 5}".replace(".", ","))
    page.get_by_role("button", name="Wyślij odczyt").click()
    expect(page.locator("main")).to_contain_text("czeka na sprawdzenie")
    assert SelfReading.objects.get().status == "pending"
