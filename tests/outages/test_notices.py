"""Affected logins are e-mailed once per change: created, expected end moved, ended. Never twice."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy
from urllib.parse import urlsplit

from django.utils import timezone

from ebok import mail
from ebok.models import OutboundEmail
from outages import services
from outages.models import OutageNotice
from tests.outages.conftest import make_interruption


def _recipients() -> list[str]:
    return sorted(
        address for row in OutboundEmail.objects.filter(template__startswith="outages-") for address in row.to
    )


def _change_end(interruption, hours: int) -> None:
    previous = interruption.expected_end_at
    interruption.expected_end_at = previous + timedelta(hours=hours)
    services.note_changes(interruption=interruption, previous_expected_end=previous)
    interruption.save()
    services.publish(interruption=interruption)


def test_each_customer_of_the_substation_gets_one_email_and_others_none(alice_point, carol, bob_point):
    interruption = make_interruption(substation="W-305")
    assert _recipients() == ["alice@example.pl", "carol@example.pl"]
    (row,) = OutboundEmail.objects.filter(to=["alice@example.pl"])
    assert row.template == "outages-new"
    assert "PO-ALICE-1" in row.body_text and "PO-CAROL-1" not in row.body_text  # only her own point
    assert "Przewidywany koniec" in row.body_text and "993" in row.body_text
    assert OutageNotice.objects.filter(interruption=interruption).count() == 2


def test_publishing_or_saving_again_sends_nothing(alice_point, carol):
    interruption = make_interruption(substation="W-305")
    for _ in range(2):
        interruption.save()
        assert services.publish(interruption=interruption).emails == 0
    assert len(_recipients()) == 2


def test_a_new_expected_end_is_one_more_email_each_and_only_once(alice_point, carol):
    interruption = make_interruption(substation="W-305")
    _change_end(interruption, 3)
    assert services.publish(interruption=interruption).emails == 0
    changed = OutboundEmail.objects.filter(template="outages-end-changed")
    assert sorted(a for row in changed for a in row.to) == ["alice@example.pl", "carol@example.pl"]
    _change_end(interruption, -3)  # back to the first end: still a change, told once more
    assert OutboundEmail.objects.filter(template="outages-end-changed").count() == 4


def test_the_end_is_one_more_email_each(alice_point, carol):
    interruption = make_interruption(substation="W-305")
    interruption.ended_at = timezone.now()
    interruption.save()
    assert services.publish(interruption=interruption).emails == 2
    assert services.publish(interruption=interruption).emails == 0
    assert OutboundEmail.objects.filter(template="outages-ended").count() == 2


def test_a_point_added_later_gets_the_announcement_once(alice_point, carol, bob_point):
    interruption = make_interruption(substation="W-305")
    _change_end(interruption, 2)
    interruption.points.add(bob_point)
    assert services.publish(interruption=interruption).emails == 1
    (row,) = OutboundEmail.objects.filter(to=["bob@example.pl"])
    assert row.template == "outages-new"  # the announcement, with the current end


def test_an_interruption_entered_after_it_ended_emails_nobody(alice_point):
    now = timezone.now()
    make_interruption(
        points=[alice_point],
        starts_at=now - timedelta(days=2),
        expected_end_at=now - timedelta(days=1),
        ended_at=now - timedelta(days=1),
    )
    assert _recipients() == []


def test_a_login_that_switched_the_notices_off_gets_none(alice, alice_point, carol):
    alice.notify_outages = False
    alice.save()
    make_interruption(substation="W-305")
    assert _recipients() == ["carol@example.pl"]


def test_an_inactive_or_pending_login_or_one_without_address_gets_none(alice, alice_point, carol):
    alice.email = ""
    alice.save()
    carol.status = carol.Status.PENDING
    carol.save()
    assert make_interruption(substation="W-305") and _recipients() == []


def test_the_email_reaches_a_real_smtp_server_in_the_login_language(alice, alice_point, start_server):
    inbox = start_server()
    alice.language = "en"
    alice.save()
    make_interruption(points=[alice_point])
    assert mail.deliver_due() == (1, 0)
    (received,) = inbox.messages
    parsed = email.message_from_bytes(received.as_bytes(), policy=policy.default)
    assert parsed["To"] == "alice@example.pl"
    text = parsed.get_body(("plain",)).get_content()
    assert "PO-ALICE-1" in text and "/przerwy/" in text
    assert "Expected end" in text and "Dzień dobry" not in text


def test_notices_cost_the_same_queries_for_few_and_many_points(alice_point, carol):
    from tests import factories
    from tests.queries import queries_of

    small = make_interruption(substation="W-305", publish=False)
    few = queries_of(lambda: services.publish(interruption=small))
    for _ in range(20):
        customer = factories.make_customer()
        factories.make_user(customer)
        factories.make_point(factories.make_contract(customer), substation="W-999")
    big = make_interruption(substation="W-999", publish=False)
    many = queries_of(lambda: services.publish(interruption=big))
    assert many == few, (few, many)


def test_a_representative_gets_one_email_for_all_the_customers_it_reaches(alice_point, carol, bob_point):
    from accounts.models import CustomerAccess
    from tests import factories

    manager = factories.make_login("zarzadca", email="zarzadca@example.pl")
    factories.grant(manager, alice_point.customer, CustomerAccess.Role.PROXY)
    factories.grant(manager, carol.customer, CustomerAccess.Role.VIEWER)
    factories.grant(manager, bob_point.customer, CustomerAccess.Role.PROXY)  # not affected
    gone = factories.make_login("byly", email="byly@example.pl")
    factories.grant(gone, alice_point.customer, CustomerAccess.Role.PROXY, revoked_at=timezone.now())

    make_interruption(substation="W-305")

    assert _recipients() == ["alice@example.pl", "carol@example.pl", "zarzadca@example.pl"]
    (row,) = OutboundEmail.objects.filter(to=["zarzadca@example.pl"])
    assert "PO-ALICE-1" in row.body_text and "PO-CAROL-1" in row.body_text and "PO-BOB-1" not in row.body_text
    # Each point's link names its customer, so it opens for the right one of the login's customers.
    assert "/odbiorca/100001/punkty-odbioru/PO-ALICE-1/" in row.body_text
    assert "/odbiorca/100003/punkty-odbioru/PO-CAROL-1/" in row.body_text
    # And the text names it, as the login may act for dozens of customers.
    assert "- PO-ALICE-1, Mickiewicza 26/4, 39-300 Mielec, nr odbiorcy 100001 (Alicja Nowak): " in row.body_text
    assert "- PO-CAROL-1, Mickiewicza 28, 39-300 Mielec, nr odbiorcy 100003 (Karolina Sąsiadka): " in row.body_text
    assert "PO-CAROL-1</a>, Mickiewicza 28, 39-300 Mielec, nr odbiorcy 100003 (Karolina Sąsiadka)</li>" in row.body_html


def test_the_point_link_of_the_email_opens_for_the_customers_own_login(client, alice, alice_point):
    make_interruption(substation="W-305")
    (row,) = OutboundEmail.objects.filter(to=["alice@example.pl"])
    link = next(word for word in row.body_text.split() if "/punkty-odbioru/PO-ALICE-1/" in word)
    client.force_login(alice)
    response = client.get(urlsplit(link).path, follow=True)
    assert response.status_code == 200
    assert "PO-ALICE-1" in response.content.decode()
