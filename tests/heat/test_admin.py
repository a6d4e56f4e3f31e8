"""The staff queue in the admin: by deadline, overdue and due today marked, a status change per save."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case
from ebok.models import OutboundEmail
from heat.models import HeatRequest, StatusChange
from tests import factories
from tests.heat.factories import file_heating_start

pytestmark = pytest.mark.usefixtures("today")
LIST = "/admin/heat/heatrequest/"
CASES = "/admin/cases/case/"


@pytest.fixture
def staff_client(admin_login, case_staff):
    return admin_login(case_staff)


def _requests(alice, alice_points):
    now = timezone.now()
    later = file_heating_start(alice.customer, alice_points[:1], at=now + dt.timedelta(days=3))
    today = file_heating_start(alice.customer, alice_points[1:2], at=now + dt.timedelta(hours=1))  # due at 21:00
    overdue = file_heating_start(alice.customer, alice_points[:2], at=now)
    HeatRequest.objects.filter(pk=overdue.pk).update(due_at=now - dt.timedelta(hours=1))
    return later, today, overdue


def test_the_queue_is_by_deadline_with_overdue_and_today_marked(staff_client, alice, alice_points):
    later, today, overdue = _requests(alice, alice_points)
    response = staff_client.get(LIST)
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [overdue.pk, today.pk, later.pk]
    page = response.content.decode()
    assert page.count("PO TERMINIE") == 1 and page.count(">dziś<") == 1
    overdue_only = staff_client.get(LIST + "?termin=po-terminie").context["cl"].result_list
    assert [r.pk for r in overdue_only] == [overdue.pk]
    assert [r.pk for r in staff_client.get(LIST + "?termin=dzis").context["cl"].result_list] == [today.pk]


def test_accepting_in_the_admin_mails_once_and_saving_again_mails_nothing(staff_client, alice, alice_points):
    req = file_heating_start(alice.customer, alice_points[:2])
    OutboundEmail.objects.all().delete()
    url = f"{LIST}{req.pk}/change/"
    page = staff_client.get(url).content.decode()
    assert "PO-A1: Pisarka 20" in page  # the typed data
    assert staff_client.post(url, {"status": "przyjety", "rejection_reason": ""}).status_code == 302
    assert staff_client.post(url, {"status": "przyjety", "rejection_reason": ""}).status_code == 302
    req.refresh_from_db()
    assert req.status == "przyjety"
    assert StatusChange.objects.filter(request=req).count() == 1
    assert list(OutboundEmail.objects.values_list("template", flat=True)) == ["heat-status"]


def test_rejecting_without_a_reason_is_refused_in_the_admin(staff_client, alice, alice_points):
    req = file_heating_start(alice.customer, alice_points[:1])
    response = staff_client.post(f"{LIST}{req.pk}/change/", {"status": "odrzucony", "rejection_reason": ""})
    assert response.status_code == 200
    assert "Podaj powód odrzucenia" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "zlozony"


def test_the_admin_offers_only_the_next_statuses(staff_client, alice, alice_points):
    req = file_heating_start(alice.customer, alice_points[:1])
    field = staff_client.get(f"{LIST}{req.pk}/change/").context["adminform"].form.fields["status"]
    assert [value for value, _label in field.choices] == ["zlozony", "przyjety", "odrzucony"]


def test_the_accept_action_accepts_only_filed_requests(staff_client, alice, alice_points):
    first = file_heating_start(alice.customer, alice_points[:1])
    second = file_heating_start(alice.customer, alice_points[1:2])
    OutboundEmail.objects.all().delete()
    staff_client.post(LIST, {"action": "accept", "_selected_action": [first.pk, second.pk]})
    assert set(HeatRequest.objects.values_list("status", flat=True)) == {"przyjety"}
    staff_client.post(LIST, {"action": "accept", "_selected_action": [first.pk, second.pk]})
    assert OutboundEmail.objects.filter(template="heat-status").count() == 2


def test_the_staff_group_may_change_requests_and_only_view_rules(case_staff):
    assert case_staff.has_perm("heat.change_heatrequest")
    assert case_staff.has_perm("heat.view_deadlinerule")
    assert not case_staff.has_perm("heat.change_deadlinerule")
    assert not case_staff.has_perm("heat.delete_heatrequest")


def _case_form(case, **kw):
    return {"type": case.type_id, "status": case.status, "assignee": "", "reply": "", **kw}


def test_a_requests_case_status_is_read_only_in_the_case_admin_with_a_link_to_the_request(
    staff_client, alice, alice_points
):
    req = file_heating_start(alice.customer, alice_points[:1])
    response = staff_client.get(f"{CASES}{req.case_id}/change/")
    assert "status" not in response.context["adminform"].form.fields
    page = response.content.decode()
    assert f'<a href="{LIST}{req.pk}/change/">Dyspozycja „Włączenie ogrzewania”: złożony</a>' in page
    assert "Status sprawy idzie za statusem dyspozycji: zmień go na jej stronie." in page


def test_a_post_to_the_case_admin_changes_neither_status_of_a_request(staff_client, alice, alice_points):
    req = file_heating_start(alice.customer, alice_points[:1])
    OutboundEmail.objects.all().delete()
    url = f"{CASES}{req.case_id}/change/"
    assert staff_client.post(url, _case_form(req.case, status=Case.Status.CLOSED)).status_code == 302
    # A reply would move an ordinary new case on to "W realizacji"; a request's stays with the request.
    assert staff_client.post(url, _case_form(req.case, reply="Sprawdzamy.")).status_code == 302
    req.refresh_from_db()
    req.case.refresh_from_db()
    assert (req.status, req.case.status) == (HeatRequest.Status.FILED, Case.Status.NEW)
    assert req.case.messages.filter(from_staff=True, body="Sprawdzamy.").exists()
    assert list(OutboundEmail.objects.values_list("template", flat=True)) == ["case-reply"]  # no status notice


def test_an_ordinary_case_status_stays_editable_in_the_case_admin(staff_client, alice):
    case = factories.make_case(alice.customer)
    url = f"{CASES}{case.pk}/change/"
    response = staff_client.get(url)
    assert "status" in response.context["adminform"].form.fields
    assert "Status sprawy idzie za statusem dyspozycji" not in response.content.decode()
    assert staff_client.post(url, _case_form(case, status=Case.Status.CLOSED)).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_a_requests_case_cannot_be_deleted_on_its_own_but_goes_with_its_customer(admin_login, alice, alice_points):
    """The request is the record billing gets (export_requests): deleting its case alone would take
    it too. The admin's delete page names it as protected; deleting the customer takes both."""
    superuser = factories.make_staff("kierownik", superuser=True)
    client = admin_login(superuser)
    req = file_heating_start(alice.customer, alice_points[:1])
    url = f"{CASES}{req.case_id}/delete/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["protected"]
    client.post(url, {"post": "yes"})
    assert Case.objects.filter(pk=req.case_id).exists() and HeatRequest.objects.filter(pk=req.pk).exists()
    ordinary = factories.make_case(alice.customer)
    assert client.post(f"{CASES}{ordinary.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Case.objects.filter(pk=ordinary.pk).exists()
    alice.customer.delete()
    assert not Case.objects.filter(pk=req.case_id).exists() and not HeatRequest.objects.filter(pk=req.pk).exists()
