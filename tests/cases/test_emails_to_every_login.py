"""Mail about a customer's case, request or reading goes to every login with live access to it
(#12): its właściciel and each representative, one message each in its own language, with links
naming the customer; never to a revoked representative or to a login of another customer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import CustomerAccess
from cases import services as cases
from cases.models import CaseType
from heat import services as heat
from heat.models import HeatRequest
from meters.models import SelfReading
from meters.services import self_reading_reject
from tests import factories
from tests.heat.factories import file_heating_start

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def people(alice, bob, db):
    """alice's customer: alice (właściciel), a pełnomocnik in English, a podgląd, a revoked one;
    bob reaches only his own."""
    proxy = factories.make_login("pelnomocnik", language="en")
    viewer = factories.make_login("podglad", language="uk")
    revoked = factories.make_login("byly")
    factories.grant(proxy, alice.customer, CustomerAccess.Role.PROXY)
    factories.grant(viewer, alice.customer, CustomerAccess.Role.VIEWER)
    factories.grant(
        revoked, alice.customer, CustomerAccess.Role.PROXY, revoked_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )
    return alice, proxy, viewer, revoked, bob


def sent_to(outbox) -> dict[str, object]:
    """The customers' side of the outbox by address (the staff address has its own mail, unchanged)."""
    found = {}
    for message in outbox:
        (to,) = message.to
        if to == settings.EBOK_CASES_STAFF_EMAIL:
            assert message.subject.startswith("Nowa sprawa")
            continue
        assert to not in found
        found[to] = message
    return found


def test_a_case_reply_reaches_the_owner_and_each_representative_with_links_naming_the_customer(
    people, staff, send_queued_mail
):
    alice, proxy, viewer, revoked, bob = people
    case = factories.make_case(alice.customer)
    cases.staff_update(case=case, staff_user=staff, body="Odpowiadamy.")
    received = sent_to(send_queued_mail())
    assert set(received) == {alice.email, proxy.email, viewer.email}  # not the revoked one, not bob
    link = f"{SITE}/odbiorca/100001/sprawy/{case.pk}/"
    assert all(link in m.body for m in received.values())
    assert received[alice.email].subject == f"Odpowiedź w sprawie {case.number}"
    assert received[proxy.email].subject == f"Reply in case {case.number}"
    assert received[proxy.email].body.startswith("Hello,")
    assert "Odpowiadamy." not in "".join(m.body for m in received.values())  # never the message itself


def test_a_new_case_and_a_status_change_reach_them_too(people, staff, send_queued_mail):
    alice, proxy, viewer, _revoked, _bob = people
    case = cases.case_open(
        customer=alice.customer,
        author=proxy,
        type=CaseType.objects.get(name="Ekonomiczne"),
        subject="Faktura",
        body="Pytanie.",
    )
    cases.staff_update(case=case, staff_user=staff, status="w_realizacji")
    subjects: dict[str, list[str]] = {}
    for m in send_queued_mail():
        subjects.setdefault(m.to[0], []).append(m.subject)
    assert len(subjects.pop(settings.EBOK_CASES_STAFF_EMAIL)) == 1  # the staff address: once, as before
    assert subjects[alice.email] == [f"Przyjęliśmy sprawę {case.number}", f"Sprawa {case.number}: W realizacji"]
    assert set(subjects) == {alice.email, proxy.email, viewer.email}
    assert all(len(each) == 2 for each in subjects.values())


def test_a_request_status_mails_each_login_once_in_its_language(people, staff, today, send_queued_mail):
    alice, proxy, viewer, _revoked, _bob = people
    contract = factories.make_contract(alice.customer, ordered_power_mw=Decimal("0.250"))
    point = factories.make_point(contract, "PO-X1", kind="co")
    req = file_heating_start(alice.customer, [point])
    confirmations = sent_to(send_queued_mail())
    assert set(confirmations) == {alice.email, proxy.email, viewer.email}
    # The deadline in each recipient's language.
    assert "realizacja do" in confirmations[alice.email].body
    assert "realizacja do" not in confirmations[proxy.email].body
    heat.request_set_status(heat_request=req, status=HeatRequest.Status.ACCEPTED, staff_user=staff)
    statuses = sent_to(send_queued_mail()[4:])  # after 3 confirmations and the staff's
    assert set(statuses) == {alice.email, proxy.email, viewer.email}
    assert all(f"{SITE}/odbiorca/100001/sprawy/{req.case.pk}/" in m.body for m in statuses.values())


def test_a_rejected_reading_reaches_every_login_with_a_link_naming_the_customer(people, staff, send_queued_mail):
    alice, proxy, viewer, _revoked, _bob = people
    meter = factories.make_meter(factories.make_point(factories.make_contract(alice.customer)), "SN-9")
    reading = SelfReading.objects.create(
        customer=alice.customer, meter=meter, value=Decimal("110"), reading_date=dt.date(2026, 11, 24)
    )
    self_reading_reject(self_reading=reading, user=staff, reason="Nieczytelne zdjęcie.")
    received = sent_to(send_queued_mail())
    assert set(received) == {alice.email, proxy.email, viewer.email}
    assert all(f"{SITE}/odbiorca/100001/liczniki/" in m.body for m in received.values())
    assert '<html lang="en">' in next(c for c, t in received[proxy.email].alternatives if t == "text/html")


def test_without_any_login_address_billings_address_is_told(staff, send_queued_mail):
    customer = factories.make_customer("100009", email="biuro@example.pl")
    case = factories.make_case(customer)
    cases.staff_update(case=case, staff_user=staff, body="Odpowiadamy.")
    (message,) = send_queued_mail()
    assert message.to == ["biuro@example.pl"]
