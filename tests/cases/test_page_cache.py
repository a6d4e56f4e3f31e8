"""Cases, replies and read marks show on the next view of a cached page (ebok.pagecache).

The unread badge is on every customer page (the "Lista spraw" tab), so a staff reply and the
customer opening it change every cached page of that customer.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from cases.models import Attachment, Case, CaseType
from tests import factories
from tests.pagecache import changes_version, generation, page, warm

pytestmark = pytest.mark.usefixtures("today")
START, CASES, PAYMENTS = reverse("start"), reverse("cases:list"), reverse("billing:payments")
BADGE = '<span class="badge text-bg-danger">1<span class="visually-hidden"> nieprzeczytane</span></span>'


def _detail(case) -> str:
    return reverse("cases:detail", args=[case.pk])


@pytest.fixture
def staff(case_staff):
    client = Client()
    factories.login_staff(client, case_staff)
    return client


def _admin_reply(staff, case, body="Odpowiadamy w sprawie.", **kw):
    data = {"type": case.type_id, "status": case.status, "assignee": "", "reply": body, **kw}
    response = staff.post(f"/admin/cases/case/{case.pk}/change/", data)
    assert response.status_code == 302, response.status_code


def test_a_staff_reply_shows_its_badge_on_every_page_and_reading_it_clears_the_badge_everywhere(
    alice_client, alice, staff
):
    case = factories.make_case(alice.customer, subject="Pytanie o fakturę")
    for url in (START, CASES, PAYMENTS):
        assert BADGE not in warm(alice_client, url).content.decode()
    _admin_reply(staff, case)
    for url in (START, CASES, PAYMENTS):
        html, state = page(alice_client, url)
        assert state == "miss" and BADGE in html, url
        assert BADGE in warm(alice_client, url).content.decode()
    html, _state = page(alice_client, _detail(case))  # opening the case marks the reply read
    assert "Odpowiadamy w sprawie." in html
    for url in (START, CASES, PAYMENTS):
        html, state = page(alice_client, url)
        assert state == "miss" and BADGE not in html, url


def test_a_status_change_by_staff_shows_in_the_case(alice_client, alice, staff):
    case = factories.make_case(alice.customer)
    assert "Zakończona" not in warm(alice_client, _detail(case)).content.decode()
    _admin_reply(staff, case, body="", status="zakonczona")
    html, state = page(alice_client, _detail(case))
    assert state == "miss" and "Zakończona" in html


def test_the_customers_own_reply_shows_in_the_thread(alice_client, alice):
    case = factories.make_case(alice.customer)
    warm(alice_client, _detail(case))
    alice_client.post(_detail(case), {"body": "Dziękuję, jeszcze jedno pytanie."})
    assert "Dziękuję, jeszcze jedno pytanie." in page(alice_client, _detail(case))[0]


def test_a_new_case_shows_in_the_list(alice_client, alice):
    warm(alice_client, CASES)
    case_type = CaseType.objects.get(name="Techniczne")
    new_case = {"type": case_type.pk, "subject": "Brak ciepła", "body": "Zimne kaloryfery."}
    alice_client.post(reverse("cases:new"), new_case)
    assert "Brak ciepła" in page(alice_client, CASES)[0]


def test_a_renamed_case_type_shows_on_every_customers_pages(alice_client, alice):
    case = factories.make_case(alice.customer, type_name="Inne")
    warm(alice_client, CASES)
    warm(alice_client, _detail(case))
    before = generation()
    case_type = CaseType.objects.get(name="Inne")
    case_type.name = "Różne"
    case_type.save()
    assert generation() != before
    for url in (CASES, _detail(case)):
        html, state = page(alice_client, url)
        assert state == "miss" and "Różne" in html, url


def test_a_message_of_another_customer_changes_nothing_here(alice_client, alice, bob):
    warm(alice_client, START)
    factories.make_staff_message(factories.make_case(bob.customer))
    assert page(alice_client, START)[1] == "hit"


def test_saving_or_deleting_any_case_row_bumps_its_customer_only(transactional_db):
    # Tests with real commits flush the database between them, migration data included.
    importlib.import_module("cases.migrations.0002_case_types_and_staff_group").seed(apps, None)
    alice = factories.make_customer("100001")
    factories.make_customer("100002")
    assert changes_version(alice, lambda: factories.make_case(alice))
    case = Case.objects.get()
    assert changes_version(alice, lambda: factories.make_staff_message(case))
    message = case.messages.filter(from_staff=True).get()
    assert changes_version(
        alice, lambda: message.attachments.create(path="cases/a.pdf", filename="a.pdf", content_type="x", size=1)
    )
    for row in (Attachment.objects.get(), message, case):
        assert changes_version(alice, row.save), row
        assert changes_version(alice, row.delete), row
