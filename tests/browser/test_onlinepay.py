"""Paying two invoices from Płatności through the (fake) PayU page, at 390 px, with axe on each page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.usefixtures("today")

PHONE = {"width": 390, "height": 844}
WIDER_THAN_THE_PAGE = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def alice_owes(alice):
    factories.make_document(alice.customer, "FV/2026/08/000001", gross="100.00", issue_date=dt.date(2026, 8, 5))
    factories.make_payment(alice.customer, "100.00")
    factories.make_document(alice.customer, "FV/2026/09/000001", gross="123.00", issue_date=dt.date(2026, 9, 5))
    factories.make_document(alice.customer, "FV/2026/10/000001", gross="250.00", issue_date=dt.date(2026, 10, 5))
    factories.make_document(alice.customer, "FV/2026/11/000001", gross="80.00", issue_date=dt.date(2026, 11, 5))
    return alice


def test_paying_two_invoices_through_the_gateway_marks_them_paid_online(
    page, login_as, alice_owes, payu, settings, live_server
):
    settings.EBOK_SITE_URL = live_server.url  # where PayU sends the notification and the customer back
    login_as(alice_owes)
    page.set_viewport_size(PHONE)
    page.goto("/platnosci/")
    assert_accessible(page)
    assert not page.evaluate(WIDER_THAN_THE_PAGE)
    page.get_by_label("zaznacz FV/2026/09/000001").check()
    page.get_by_label("zaznacz FV/2026/10/000001").check()
    page.get_by_role("button", name="Zapłać online za zaznaczone").click()

    expect(page).to_have_url(re.compile(r"/platnosci-online/zaplac/\?dokument="))
    expect(page.get_by_label(re.compile("FV/2026/09/000001"))).to_be_checked()
    expect(page.get_by_label(re.compile("FV/2026/10/000001"))).to_be_checked()
    expect(page.get_by_label(re.compile("FV/2026/11/000001"))).not_to_be_checked()
    assert_accessible(page)
    assert not page.evaluate(WIDER_THAN_THE_PAGE)
    page.get_by_role("button", name="Przejdź do płatności").click()

    expect(page).to_have_url(re.compile(re.escape(payu.url) + "pay/"))
    expect(page.get_by_text("Kwota: 373.00 PLN")).to_be_visible()
    page.get_by_role("button", name="Zapłać", exact=True).click()

    expect(page.get_by_role("heading", name="Zapłacone. Dziękujemy!")).to_be_visible()
    assert payu.notifications and payu.notifications[0][0] == 200  # notified before the customer came back
    assert_accessible(page)
    assert not page.evaluate(WIDER_THAN_THE_PAGE)

    page.goto("/platnosci/")
    expect(page.get_by_text("opłacone online 24.11.2026, w trakcie księgowania")).to_have_count(2)
    expect(page.get_by_label("zaznacz FV/2026/11/000001")).to_be_visible()  # still open, still offered
    expect(page.get_by_label("zaznacz FV/2026/09/000001")).to_have_count(0)
    expect(page.get_by_text("Opłacone online, w trakcie księgowania")).to_be_visible()
    assert_accessible(page)

    page.goto("/pulpit/")
    expect(page.get_by_role("link", name=re.compile("Zapłać online 80,00"))).to_be_visible()
    assert_accessible(page)


def test_a_rejected_payment_says_so_and_offers_to_try_again(page, login_as, alice_owes, payu, settings, live_server):
    settings.EBOK_SITE_URL = live_server.url
    login_as(alice_owes)
    page.set_viewport_size(PHONE)
    page.goto("/platnosci-online/zaplac/?dokument=FV%2F2026%2F09%2F000001")
    page.get_by_role("button", name="Przejdź do płatności").click()
    page.get_by_role("button", name="Odrzuć").click()
    expect(page.get_by_role("heading", name="Płatność odrzucona")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Spróbuj ponownie").click()
    expect(page.get_by_label(re.compile("FV/2026/09/000001"))).to_be_checked()


def test_the_demo_gateway_of_make_run_is_accessible(page, login_as, alice_owes, settings):
    settings.DEBUG = True
    settings.EBOK_ONLINEPAY_DEMO = True
    login_as(alice_owes)
    page.set_viewport_size(PHONE)
    page.goto("/pulpit/")
    page.get_by_role("link", name=re.compile("Zapłać online")).click()
    page.get_by_role("button", name="Przejdź do płatności").click()
    expect(page.get_by_role("heading", name="Bramka demonstracyjna")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Zapłać", exact=True).click()
    expect(page.get_by_role("heading", name="Zapłacone. Dziękujemy!")).to_be_visible()
