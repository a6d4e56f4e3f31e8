"""Mail about a customer's case, request or reading goes to every login with live access to it
(#12): its właściciel and each representative, one message each in its own language, with links
naming the customer; never to a revoked representative or to a login of another customer. Its
subject and text name the customer too: a property manager may act for dozens of them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils.html import escape

from accounts.models import CustomerAccess
from cases import services as cases
from cases.models import CaseType
from heat import services as heat
from heat.models import HeatRequest
from meters.models import SelfReading
from meters.services import self_reading_reject
from tests import factories
from tests.heat.factories import file_heating_start
from tests.queries import queries_of

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
    assert received[alice.email].subject == f"Odpowiedź w sprawie {case.number} (odbiorca 100001)"
    assert received[proxy.email].subject == f"Reply in case {case.number} (customer 100001)"
    assert "Customer no.: 100001 (Alicja Nowak)" in received[proxy.email].body
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
    assert subjects[alice.email] == [
        f"Przyjęliśmy sprawę {case.number} (odbiorca 100001)",
        f"Sprawa {case.number}: W realizacji (odbiorca 100001)",
    ]
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


# What each e-mail is about, for one customer: ``setup`` makes what it needs (no mail of interest),
# ``act`` sends the one e-mail to each of the customer's logins.


def _open_case(customer, login, staff):
    cases.case_open(
        customer=customer, author=login, type=CaseType.objects.get(name="Ekonomiczne"), subject="Faktura", body="?"
    )


def _new_request(customer, login, staff):
    point = factories.make_point(factories.make_contract(customer, ordered_power_mw=Decimal("0.250")), kind="co")
    return file_heating_start(customer, [point])


def _pending_reading(customer, login, staff):
    meter = factories.make_meter(factories.make_point(factories.make_contract(customer)))
    return SelfReading.objects.create(
        customer=customer, meter=meter, value=Decimal("110"), reading_date=dt.date(2026, 11, 24)
    )


EMAILS = {
    "case-created": (
        lambda customer, login, staff: customer,
        lambda customer, login, staff: _open_case(customer, login, staff),
    ),
    "case-reply": (
        lambda customer, login, staff: factories.make_case(customer),
        lambda case, login, staff: cases.staff_update(case=case, staff_user=staff, body="Odpowiadamy."),
    ),
    "case-status": (
        lambda customer, login, staff: factories.make_case(customer),
        lambda case, login, staff: cases.staff_update(case=case, staff_user=staff, status="w_realizacji"),
    ),
    "heat-status": (
        _new_request,
        lambda req, login, staff: heat.request_set_status(
            heat_request=req, status=HeatRequest.Status.ACCEPTED, staff_user=staff
        ),
    ),
    "self-reading-rejected": (
        _pending_reading,
        lambda reading, login, staff: self_reading_reject(self_reading=reading, user=staff, reason="Nieczytelne."),
    ),
}


@pytest.fixture
def manager(db):
    """A property manager acting for two housing co-ops (a name with ASCII quotes: plain text keeps them)."""
    first = factories.make_customer("300001", kind="firma", name='Wspólnota Mieszkaniowa "Lipowa 5"')
    second = factories.make_customer("300002", kind="firma", name="Wspólnota Mieszkaniowa Klonowa 7")
    login = factories.make_login("zarzadca")
    for customer in (first, second):
        factories.grant(login, customer, CustomerAccess.Role.PROXY)
    return login, first, second


@pytest.mark.parametrize("name", EMAILS)
def test_each_email_to_a_representative_of_two_customers_names_the_one_it_is_about(
    name, manager, staff, today, send_queued_mail
):
    login, first, second = manager
    setup, act = EMAILS[name]
    prepared = {customer: setup(customer, login, staff) for customer in (first, second)}
    send_queued_mail()
    mail.outbox.clear()
    for customer, other in ((first, second), (second, first)):
        act(prepared[customer], login, staff)
        (message,) = [m for m in send_queued_mail() if m.to == [login.email]]
        mail.outbox.clear()
        html = next(content for content, kind in message.alternatives if kind == "text/html")
        assert message.subject.endswith(f" (odbiorca {customer.number})"), message.subject
        assert f"Nr odbiorcy: {customer.number} ({customer.name})" in message.body
        assert f"Nr odbiorcy: {customer.number} ({escape(customer.name)})" in html
        for text in (message.subject, message.body, html):
            assert other.number not in text and other.name.split()[-2] not in text


@pytest.mark.parametrize("name", EMAILS)
def test_naming_the_customer_costs_no_query_per_login(name, manager, staff, today, send_queued_mail):
    login, first, second = manager
    for n in range(3):
        factories.grant(factories.make_login(f"zarzadca{n}"), second, CustomerAccess.Role.VIEWER)
    setup, act = EMAILS[name]
    warm_up, one, four = setup(first, login, staff), setup(first, login, staff), setup(second, login, staff)
    act(warm_up, login, staff)  # the first of a kind looks up and caches a few things once
    counts = [queries_of(lambda prepared=prepared: act(prepared, login, staff)) for prepared in (one, four)]
    assert counts[0] == counts[1], f"1 login: {counts[0]} queries, 4 logins: {counts[1]}"
