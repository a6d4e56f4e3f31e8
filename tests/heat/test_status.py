"""Status changes: each moves the case along and e-mails the customer exactly once; a rejection
needs a reason; a finished request changes no more."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case
from ebok.models import OutboundEmail
from heat import services
from heat.models import HeatRequest
from tests.heat.factories import file_heating_start

pytestmark = pytest.mark.usefixtures("today")
S = HeatRequest.Status


@pytest.fixture
def req(alice, alice_points):
    filed = file_heating_start(alice.customer, alice_points[:2])
    OutboundEmail.objects.all().delete()  # the filing's own confirmation is not what these tests count
    return filed


def test_each_change_mails_the_customer_once_and_moves_the_case(req, staff, send_queued_mail):
    services.request_set_status(heat_request=req, status=S.ACCEPTED, staff_user=staff)
    services.request_set_status(heat_request=req, status=S.IN_PROGRESS, staff_user=staff)
    services.request_set_status(heat_request=req, status=S.DONE, staff_user=staff)
    sent = send_queued_mail()
    assert [m.subject for m in sent] == [
        f"Dyspozycja {req.case.number}: przyjęty (odbiorca 100001)",
        f"Dyspozycja {req.case.number}: w realizacji (odbiorca 100001)",
        f"Dyspozycja {req.case.number}: zrealizowany (odbiorca 100001)",
    ]
    assert all(m.to == ["alice@example.pl"] for m in sent)
    assert "realizacja do 25.11.2026 02:00" in sent[0].body  # noon + 6 h asked + 8 h
    req.refresh_from_db()
    assert req.case.status == Case.Status.CLOSED
    assert req.accepted_at is not None
    assert send_queued_mail() == sent  # running the worker again sends nothing more


def test_the_mail_worker_sends_a_change_once_even_if_its_mail_is_queued_again(req, staff, send_queued_mail):
    from ebok import mail

    change = services.request_set_status(heat_request=req, status=S.ACCEPTED, staff_user=staff)
    alice = req.customer.user
    again = mail.send(
        "heat-status",
        to="alice@example.pl",
        context={"req": req, "case": req.case, "change": change},
        dedup_key=f"heat-status-{change.pk}:u{alice.pk}",  # one key per login told
    )
    assert again is None
    assert len(send_queued_mail()) == 1


def test_a_rejection_needs_a_reason_that_the_customer_reads(req, staff, alice_client, send_queued_mail):
    with pytest.raises(ValidationError):
        services.request_set_status(heat_request=req, status=S.REJECTED, staff_user=staff, reason="  ")
    assert not OutboundEmail.objects.exists()
    services.request_set_status(heat_request=req, status=S.REJECTED, staff_user=staff, reason="Budynek bez węzła.")
    (sent,) = send_queued_mail()
    assert "Budynek bez węzła." in sent.body
    page = alice_client.get(f"/sprawy/{req.case_id}/").content.decode()
    assert "odrzucony" in page and "Budynek bez węzła." in page


def test_a_done_request_changes_no_more(req, staff):
    services.request_set_status(heat_request=req, status=S.ACCEPTED, staff_user=staff)
    services.request_set_status(heat_request=req, status=S.DONE, staff_user=staff)
    with pytest.raises(services.TransitionError):
        services.request_set_status(heat_request=req, status=S.IN_PROGRESS, staff_user=staff)


def test_the_database_refuses_a_rejection_without_reason(req):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HeatRequest.objects.filter(pk=req.pk).update(status=S.REJECTED)
