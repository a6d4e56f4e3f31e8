from tests.browser.axe import assert_accessible
from tests.browser.customer_data import fill


def test_the_documents_page_is_accessible_and_downloads_a_pdf(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.goto("/dokumenty/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz PDF FV/2026/10/1000010024").click()
    assert download.value.suggested_filename == "FV_2026_10_1000010024.pdf"
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Pobierz wszystkie (ZIP)").is_visible()


def test_pobierz_wszystkie_downloads_a_zip_of_the_year(page, login_as, alice):
    fill(alice.customer)
    login_as(alice)
    page.goto("/dokumenty/")
    page.locator("#id_zip-rok").fill("2025")
    with page.expect_download() as download:
        page.get_by_role("button", name="Pobierz wszystkie (ZIP)").click()
    assert download.value.suggested_filename == "dokumenty_100001_20250101-20251231.zip"
