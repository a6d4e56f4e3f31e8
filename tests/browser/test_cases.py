"""The whole case loop in a real browser, with axe on every customer page of the cases tab."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, Message
from tests import factories
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.usefixtures("case_types")


def _pdf(name="skan.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": factories.PDF_BYTES}


def test_a_case_goes_from_customer_to_staff_and_back_with_the_unread_badge(page, login_as, alice, case_staff):
    login_as(alice)
    page.goto("/sprawy/nowa/")
    assert_accessible(page)
    page.get_by_label("Typ sprawy").select_option(label="Reklamacja")
    page.get_by_label("Temat").fill("Zawyżona faktura")
    page.get_by_label("Treść wiadomości").fill("Odczyt na fakturze nie zgadza się z licznikiem.")
    page.get_by_label("Załączniki").set_input_files([_pdf()])
    page.get_by_role("button", name="Wyślij sprawę").click()
    page.wait_for_url(re.compile(r"/sprawy/\d+/$"))
    case = Case.objects.get()
    assert case.number in page.get_by_role("status").first.inner_text()
    expect(page.get_by_role("link", name="skan.pdf")).to_be_visible()
    assert_accessible(page)

    login_as(case_staff)
    page.goto(f"/admin/cases/case/{case.pk}/change/")
    assert "Odczyt na fakturze" in page.content()
    page.locator("#id_reply").fill("Sprawdziliśmy odczyt, korekta w drodze.")
    page.locator("#id_reply_attachments").set_input_files([_pdf("korekta.pdf")])
    page.locator('input[name="_save"]').click()
    page.wait_for_url("**/admin/cases/case/")
    reply = Message.objects.get(from_staff=True)
    assert reply.attachments.get().filename == "korekta.pdf"

    login_as(alice)
    page.goto("/sprawy/")
    tab = page.get_by_role("navigation", name="Menu klienta").get_by_role("link", name="Lista spraw")
    assert tab.locator(".badge").inner_text().startswith("1")
    row = page.get_by_role("row").filter(has_text="Zawyżona faktura")
    assert row.get_by_role("cell").last.inner_text() == "1"
    assert_accessible(page)
    row.get_by_role("link", name="Zawyżona faktura").click()
    page.wait_for_url(f"**/sprawy/{case.pk}/")
    expect(page.get_by_text("Sprawdziliśmy odczyt, korekta w drodze.")).to_be_visible()
    expect(page.get_by_role("link", name="korekta.pdf")).to_be_visible()
    expect(tab.locator(".badge")).to_have_count(0)
    assert_accessible(page)
    reply.refresh_from_db()
    assert reply.read_at is not None

    page.goto("/sprawy/wiadomosci/")
    # The customer's message and the reply, now read: both rows lead to the case.
    expect(page.get_by_role("link", name=case.number)).to_have_count(2)
    expect(page.locator("main")).to_contain_text("Wszystkie odpowiedzi Biura Obsługi Klienta są przeczytane.")
    assert_accessible(page)


def test_a_refused_attachment_keeps_what_was_typed_and_focuses_the_error_summary(page, login_as, alice):
    login_as(alice)
    page.goto("/sprawy/nowa/")
    page.get_by_label("Typ sprawy").select_option(label="Techniczne")
    page.get_by_label("Temat").fill("Zimne kaloryfery")
    page.get_by_label("Treść wiadomości").fill("Od rana brak ogrzewania.")
    page.get_by_label("Załączniki").set_input_files(
        [{"name": "program.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}]
    )
    page.get_by_role("button", name="Wyślij sprawę").click()
    summary = page.get_by_role("alert").filter(has_text="Popraw błędy w formularzu")
    expect(summary).to_contain_text("program.pdf")
    page.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("Temat").input_value() == "Zimne kaloryfery"
    assert page.get_by_label("Treść wiadomości").input_value() == "Od rana brak ogrzewania."
    assert page.get_by_label("Typ sprawy").locator("option:checked").inner_text() == "Techniczne"
    assert not Case.objects.exists()
    assert_accessible(page)


def test_the_search_and_a_closed_case_are_accessible(page, login_as, alice):
    closed = factories.make_case(alice.customer, subject="Reklamacja odczytu", status=Case.Status.CLOSED)
    login_as(alice)
    page.goto("/sprawy/szukaj/")
    assert_accessible(page)
    page.get_by_label("Szukane słowa").fill("reklamacja")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**/sprawy/szukaj/?*")
    expect(page.get_by_role("link", name="Reklamacja odczytu")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reklamacja odczytu").click()
    page.wait_for_url(f"**/sprawy/{closed.pk}/")
    expect(page.get_by_text("Sprawa jest zakończona")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nowa sprawa dotycząca tej sprawy").click()
    page.wait_for_url(f"**/sprawy/nowa/?dotyczy={closed.pk}")
    expect(page.get_by_role("main")).to_contain_text(closed.number)
    assert_accessible(page)
