"""Issue #13's "Done when" for requests, in Chromium with axe on every page: a customer requests
heating start for two points; staff accept it in the admin; the customer sees the deadline and
the status change and gets the e-mail (through a real SMTP server on loopback); an ordered-power
change with a date the rules forbid is refused with the earliest allowed date."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import DeliveryPoint
from ebok.mail import deliver_due
from heat.models import HeatRequest, PowerChangeRule
from tests import factories
from tests.browser.axe import assert_accessible
from tests.ebok.conftest import Inbox, _free_port

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def inbox(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    yield received
    controller.stop()


@pytest.fixture
def points(alice):
    contract = factories.make_contract(alice.customer, ordered_power_mw=Decimal("0.250"))
    return [
        factories.make_point(contract, "PO-A1", kind=DeliveryPoint.Kind.HEATING),
        factories.make_point(contract, "PO-A2", kind=DeliveryPoint.Kind.BOTH, street="Długa 5"),
    ]


def _both_widths(page) -> None:
    for size in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)


def test_a_heating_start_for_two_points_is_accepted_by_staff_and_the_customer_is_told(
    page, login_as, heat_rules, alice, points, case_staff, inbox
):
    login_as(alice)
    page.goto("/sprawy/")
    page.get_by_role("navigation", name="Sprawy").get_by_role("link", name="Dyspozycje i wnioski").click()
    page.wait_for_url("**/dyspozycje/")
    _both_widths(page)
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Włączenie ogrzewania").click()
    page.wait_for_url("**/dyspozycje/wlaczenie-co/")
    _both_widths(page)

    start = timezone.localtime() + dt.timedelta(days=1)
    page.get_by_label("PO-A1: Pisarka 20").check()
    page.get_by_label("PO-A2: Długa 5").check()
    page.get_by_label("Data").fill(start.strftime("%Y-%m-%d"))
    page.get_by_label("Godzina").fill("06:00")
    page.get_by_role("button", name="Złóż dyspozycję").click()
    page.wait_for_url(re.compile(r"/sprawy/\d+/$"))
    req = HeatRequest.objects.get()
    due = f"realizacja do {start:%d.%m.%Y} 14:00"
    expect(page.get_by_role("status").first).to_contain_text(due)
    expect(page.locator("main")).to_contain_text("złożony")
    expect(page.locator("main")).to_contain_text("PO-A2: Długa 5")
    _both_widths(page)

    login_as(case_staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/heat/heatrequest/")
    expect(page.get_by_role("link", name=req.case.number)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=req.case.number).click()
    page.wait_for_url(f"**/admin/heat/heatrequest/{req.pk}/change/")
    expect(page.locator("#content")).to_contain_text("PO-A1: Pisarka 20")
    assert_accessible(page)
    page.locator("#id_status").select_option("przyjety")
    page.locator('input[name="_save"]').click()
    page.wait_for_url("**/admin/heat/heatrequest/")
    req.refresh_from_db()
    assert req.status == HeatRequest.Status.ACCEPTED

    deliver_due()  # the mail worker's round
    to_alice = [m for m in inbox.messages if m["To"] == "alice@example.pl"]
    subjects = sorted(str(m["Subject"]) for m in to_alice)
    assert len([s for s in subjects if "przyj" in s and "Dyspozycja" in s]) == 1, subjects
    deliver_due()
    assert len([m for m in inbox.messages if m["To"] == "alice@example.pl"]) == len(to_alice)  # nothing twice

    login_as(alice)
    page.goto(f"/sprawy/{req.case_id}/")
    main = page.locator("main")
    expect(main).to_contain_text("przyjęty")
    expect(main).to_contain_text(due)
    _both_widths(page)
    page.goto("/dyspozycje/")
    expect(page.get_by_role("row").filter(has_text=req.case.number)).to_contain_text("przyjęty")
    _both_widths(page)


def test_an_ordered_power_change_on_a_forbidden_date_is_refused_with_the_earliest_allowed(
    page, login_as, alice, points, heat_rules
):
    rule = PowerChangeRule.active()
    today = timezone.localdate()
    earliest = rule.earliest(today)
    forbidden = dt.date(earliest.year - 1, rule.effective_month, rule.effective_day)
    login_as(alice)
    page.goto("/dyspozycje/moc-zamowiona/")
    _both_widths(page)
    expect(page.locator("main table")).to_contain_text("0,250 MW")
    page.get_by_label("Punkt odbioru").select_option("PO-A1")
    page.get_by_label("Nowa moc zamówiona [MW]").fill("0,300")
    page.get_by_label("Zmiana od dnia").fill(forbidden.isoformat())
    page.get_by_role("button", name="Złóż dyspozycję").click()
    summary = page.get_by_role("alert").filter(has_text="Popraw błędy w formularzu")
    expect(summary).to_contain_text(f"Najwcześniejszy możliwy termin: {earliest:%d.%m.%Y}.")
    assert page.get_by_label("Nowa moc zamówiona [MW]").input_value() == "0,300"
    assert not HeatRequest.objects.exists()
    _both_widths(page)
    page.get_by_label("Zmiana od dnia").fill(earliest.isoformat())
    page.get_by_role("button", name="Złóż dyspozycję").click()
    page.wait_for_url(re.compile(r"/sprawy/\d+/$"))
    assert HeatRequest.objects.get().effective_from == earliest
