"""Issue #13, interruptions: staff enter one for a substation in the admin; exactly the customers
of its points get one e-mail each (through a real SMTP server); Pulpit and the public page show it
(axe, and no sideways scrolling at 390 px)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ebok import mail
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_every_page import PHONE, SIDEWAYS
from tests.ebok.conftest import serve, smtp_port, start_server  # noqa: F401 - the real SMTP server's fixtures

DESCRIPTION = "Awaria w węźle W-305: wymiana pompy obiegowej."


def _customer(number: str, email: str, street: str, substation: str):
    user = factories.make_user(factories.make_customer(number), email=email)
    factories.make_point(factories.make_contract(user.customer), f"PO-{number}", street=street, substation=substation)
    return user


def _fits_and_passes_axe(page) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate(SIDEWAYS) == []
    assert_accessible(page)


def test_staff_enter_a_substation_interruption_and_exactly_its_customers_hear_and_see_it(
    page,
    login_as,
    live_server,
    start_server,  # noqa: F811
):
    inbox = start_server()
    alice = _customer("100001", "alice@example.pl", "Mickiewicza 26/4", "W-305")
    _customer("100003", "carol@example.pl", "Mickiewicza 28", "W-305")
    _customer("100002", "bob@example.pl", "Kościuszki 41", "W-211")
    staff = factories.make_staff("dyspozytor", superuser=True)

    now = timezone.localtime()
    start, end = now - timedelta(hours=1), now + timedelta(hours=5)
    login_as(staff)
    page.goto("/admin/outages/interruption/add/")
    page.locator("#id_kind").select_option("awaria")
    page.locator("#id_starts_at_0").fill(f"{start:%Y-%m-%d}")
    page.locator("#id_starts_at_1").fill(f"{start:%H:%M:%S}")
    page.locator("#id_expected_end_at_0").fill(f"{end:%Y-%m-%d}")
    page.locator("#id_expected_end_at_1").fill(f"{end:%H:%M:%S}")
    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("#id_substation").fill("W-305")
    page.locator('input[name="_continue"]').click()
    page.wait_for_url("**/change/")
    expect(page.locator(".messagelist")).to_contain_text("Przerwa obejmuje 2 punkty odbioru.")
    expect(page.locator(".field-affected_points")).to_contain_text("PO-100001")
    expect(page.locator(".field-affected_points")).not_to_contain_text("PO-100002")

    assert mail.deliver_due() == (2, 0)
    assert inbox.recipients() == ["alice@example.pl", "carol@example.pl"]
    page.locator('input[name="_continue"]').click()  # saved again, unchanged: nobody is told twice
    page.wait_for_url("**/change/")
    assert mail.deliver_due() == (0, 0)

    login_as(alice)
    page.goto("/pulpit/")
    box = page.get_by_role("region", name="Przerwy w dostawie ciepła")
    expect(box).to_contain_text(DESCRIPTION)
    expect(box).to_contain_text(f"{end:%d.%m.%Y %H:%M}")
    _fits_and_passes_axe(page)
    page.goto("/punkty-odbioru/PO-100001/")
    expect(page.get_by_role("region", name="Przerwy w dostawie ciepła")).to_contain_text(DESCRIPTION)
    _fits_and_passes_axe(page)

    page.context.clear_cookies()
    page.goto("/przerwy/")
    expect(page.get_by_role("heading", name="Mielec")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Mickiewicza")).to_contain_text(DESCRIPTION)
    assert "100001" not in page.locator("main").inner_text() and "Kościuszki" not in page.content()
    page.get_by_label("Ulica").fill("Kościuszki")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("status")).to_contain_text("Brak trwających i zaplanowanych przerw")
    _fits_and_passes_axe(page)
