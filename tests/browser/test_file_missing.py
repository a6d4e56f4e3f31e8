"""The "Nie możemy teraz pobrać tego pliku" pages (a document's or a case attachment's file is gone) pass axe."""

from __future__ import annotations

from tests import factories
from tests.browser.axe import assert_accessible


def test_the_missing_file_pages_are_accessible(page, live_server, login_as, case_types):
    user = factories.make_user(factories.make_customer("200020"))
    factories.make_document(user.customer, "FV/2026/10/000999", pdf="pdf/gone.pdf")
    case = factories.make_case(user.customer)
    attachment = case.messages.get().attachments.create(
        path="cases/gone.pdf", filename="skan.pdf", content_type="application/pdf", size=1
    )
    login_as(user)
    pages = [
        ("/dokumenty/faktura/FV/2026/10/000999/pdf/", "FV/2026/10/000999", "Wróć do dokumentów", "/dokumenty/"),
        (f"/sprawy/zalaczniki/{attachment.pk}/", "skan.pdf", "Wróć do sprawy", f"/sprawy/{case.pk}/"),
    ]
    for url, name, back, back_url in pages:
        response = page.goto(url)
        assert response.status == 404
        assert page.get_by_role("heading", level=1).inner_text() == "Nie możemy teraz pobrać tego pliku"
        assert name in page.locator("main").inner_text()
        assert page.get_by_role("link", name=back).get_attribute("href") == back_url
        assert_accessible(page)
