"""The confirmation of a filed request ("Przyjęliśmy sprawę …") says its deadline, once."""

from __future__ import annotations

import pytest

from heat.models import Kind
from tests import factories

pytestmark = pytest.mark.usefixtures("today")  # 24.11.2026, noon in Warsaw


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def _confirmations(send_queued_mail, to="alice@example.pl"):
    return [m for m in send_queued_mail() if m.to == [to] and m.subject.startswith(("Przyjęliśmy", "We have"))]


def test_a_heating_start_confirmation_says_by_when_it_is_done(alice_client, alice_points, send_queued_mail):
    alice_client.post(
        f"/dyspozycje/{Kind.HEATING_START}/", {"points": ["PO-A1"], "date": "2026-11-25", "time": "06:00"}
    )
    (message,) = _confirmations(send_queued_mail)
    assert message.body.count("realizacja do") == 1
    assert "Termin: realizacja do 25.11.2026 14:00." in message.body
    assert html_of(message).count("Termin: realizacja do 25.11.2026 14:00.") == 1


def test_a_complaint_confirmation_says_by_when_we_answer(alice_client, alice, send_queued_mail):
    document = factories.make_document(alice.customer, "FV/2026/11/000123")
    alice_client.post(
        f"/dyspozycje/{Kind.COMPLAINT}/",
        {"document": document.pk, "reason": "odczyt", "description": "Odczyt 1234 GJ, na fakturze 1324 GJ."},
    )
    (message,) = _confirmations(send_queued_mail)
    assert message.body.count("odpowiedź do") == 1 and "Termin: odpowiedź do 08.12.2026." in message.body


def test_the_deadline_is_in_the_customers_language(alice_client, alice, alice_points, send_queued_mail):
    alice.language = "en"
    alice.save(update_fields=["language"])
    alice_client.post(
        f"/dyspozycje/{Kind.HEATING_START}/", {"points": ["PO-A1"], "date": "2026-11-25", "time": "06:00"}
    )
    (message,) = _confirmations(send_queued_mail)
    assert "completion by 25.11.2026 14:00" in message.body
    assert "realizacja" not in message.body and "Termin" not in message.body


def test_a_plain_case_confirmation_has_no_deadline(alice_client, alice, send_queued_mail):
    from cases.models import CaseType
    from cases.services import case_open

    case_open(
        customer=alice.customer,
        author=alice,
        type=CaseType.objects.filter(is_active=True).first(),
        subject="Pytanie",
        body="Treść",
    )
    (message,) = _confirmations(send_queued_mail)
    assert "Termin:" not in message.body and "Termin:" not in html_of(message)
