from tests.browser.axe import assert_accessible


def test_home_page_is_polish_accessible_and_has_a_skip_link(page, live_server):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("heading", level=1).inner_text() == "Elektroniczne Biuro Obsługi Klienta"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Przejdź do treści"
    assert_accessible(page)


def test_home_page_fits_a_phone_without_horizontal_scrolling(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert_accessible(page)
