"""Invitations, changes of role and revocations from Moje konto (issue #12): single-use links valid
7 days, accepted with an existing login or a new one, audited and e-mailed to both sides."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import CustomerAccess, Invitation, User
from ebok.models import AuditEvent
from tests import factories

Role = CustomerAccess.Role


def _invite(client, email="zarzadca@example.pl", role="proxy"):
    return client.post("/moje-konto/dostep/zapros/", {"email": email, "role": role})


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/zaproszenie/[^\s\"<]+/)", message.body)[1]


def test_the_owner_invites_and_the_invitee_creates_a_login_and_gets_the_role(client, alice, send_queued_mail):
    client.force_login(alice)
    response = _invite(client)
    assert response.status_code == 302
    outbox = send_queued_mail()
    invitation_mail = next(m for m in outbox if m.to == ["zarzadca@example.pl"])
    assert "100001" in invitation_mail.subject
    assert any(m.to == ["alice@example.pl"] for m in outbox)  # the właściciel hears of it too
    link = _link(invitation_mail)
    client.logout()
    page = client.get(link).content.decode()
    assert "Alicja Nowak" in page and "pełnomocnik" in page
    response = client.post(link, {"new_password1": "Nowe1haslo!", "new_password2": "Nowe1haslo!"})
    assert response.status_code == 302
    manager = User.objects.get(username="zarzadca@example.pl")
    assert CustomerAccess.objects.get(user=manager).role == Role.PROXY
    assert client.get("/dokumenty/").status_code == 200  # signed in, its one customer
    # The link works once.
    assert client.get(link).status_code == 404
    assert set(AuditEvent.objects.values_list("event", flat=True)) >= {"access_invited", "access_accepted"}


def test_a_new_login_follows_the_password_rules_and_keeps_nothing_on_error(client, alice):
    client.force_login(alice)
    _invite(client)
    invitation = Invitation.objects.get()
    client.logout()
    from accounts import representation

    raw = representation.invite(
        customer=alice.customer, email="inny@example.pl", role="viewer", invited_by=alice
    )  # a second one, whose secret we know
    response = client.post(f"/zaproszenie/{raw}/", {"new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 400
    assert "Popraw błędy" in response.content.decode()
    assert not User.objects.filter(username="inny@example.pl").exists()
    assert invitation.accepted_at is None


def test_an_existing_login_accepts_while_signed_in(client, alice, bob, send_queued_mail):
    from accounts import representation

    raw = representation.invite(customer=alice.customer, email="bob@example.pl", role="viewer", invited_by=alice)
    client.force_login(bob)
    assert "Przyjmij zaproszenie" in client.get(f"/zaproszenie/{raw}/").content.decode()
    response = client.post(f"/zaproszenie/{raw}/")
    assert response["Location"] == "/odbiorca/100001/pulpit/"
    assert CustomerAccess.objects.get(user=bob, customer=alice.customer).role == Role.VIEWER
    # bob now has two customers: his own URLs ask which.
    assert client.get("/dokumenty/").status_code == 302
    assert client.get("/odbiorca/100002/dokumenty/").status_code == 200


def test_an_expired_or_cancelled_link_grants_nothing(client, alice, bob):
    from accounts import representation

    raw = representation.invite(customer=alice.customer, email="bob@example.pl", role="proxy", invited_by=alice)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(bob)
    assert client.post(f"/zaproszenie/{raw}/").status_code == 404
    raw = representation.invite(customer=alice.customer, email="bob@example.pl", role="proxy", invited_by=alice)
    client.force_login(alice)
    pending = Invitation.objects.pending().get()
    assert client.post(f"/moje-konto/zaproszenia/{pending.pk}/anuluj/").status_code == 302
    client.force_login(bob)
    assert client.post(f"/zaproszenie/{raw}/").status_code == 404
    assert not CustomerAccess.objects.filter(user=bob, customer=alice.customer).exists()


def test_the_owner_sees_pending_and_active_access_changes_a_role_and_revokes(client, alice, send_queued_mail):
    manager = factories.make_login("zarzadca")
    access = factories.grant(manager, alice.customer, Role.PROXY)
    client.force_login(alice)
    _invite(client, "druga@example.pl", "viewer")
    html = client.get("/moje-konto/").content.decode()
    assert "zarzadca" in html and "druga@example.pl" in html
    send_queued_mail().clear()
    client.post(f"/moje-konto/dostep/{access.pk}/rola/", {"role": "viewer"})
    access.refresh_from_db()
    assert access.role == Role.VIEWER
    client.post(f"/moje-konto/dostep/{access.pk}/cofnij/")
    access.refresh_from_db()
    assert access.revoked_at is not None and access.revoked_by == alice
    outbox = send_queued_mail()
    assert sorted(m.to[0] for m in outbox) == sorted(["alice@example.pl", manager.email] * 2)
    # Both sides read which customer it is about, by number and name (a manager may have dozens).
    named = f"Nr odbiorcy: {alice.customer.number} ({alice.customer.name})"
    assert all(named in m.body and named in m.alternatives[0][0] for m in outbox)
    events = list(
        AuditEvent.objects.filter(event__in=["access_role_changed", "access_revoked"]).values_list("event", flat=True)
    )
    assert sorted(events) == ["access_revoked", "access_role_changed"]
    assert (
        "zarzadca" not in client.get("/moje-konto/").content.decode().split("Osoby z dostępem")[1].split("</table>")[0]
    )


@pytest.mark.parametrize("role", [Role.PROXY, Role.VIEWER])
def test_only_the_owner_manages_access(client, alice, role):
    manager = factories.make_login("zarzadca")
    factories.grant(manager, alice.customer, role)
    other = factories.grant(factories.make_login("inny"), alice.customer, Role.VIEWER)
    client.force_login(manager)
    html = client.get("/moje-konto/").content.decode()
    assert "Wyślij zaproszenie" not in html and "Cofnij dostęp" not in html
    assert client.post("/moje-konto/dostep/zapros/", {"email": "x@example.pl", "role": "proxy"}).status_code == 302
    client.post(f"/moje-konto/dostep/{other.pk}/cofnij/")
    other.refresh_from_db()
    assert other.revoked_at is None
    assert not Invitation.objects.exists()


def test_an_owner_cannot_touch_another_customers_access(client, alice, bob):
    foreign = factories.grant(factories.make_login("zarzadca"), bob.customer, Role.PROXY)
    client.force_login(alice)
    assert client.post(f"/moje-konto/dostep/{foreign.pk}/cofnij/").status_code == 404
    assert client.post(f"/moje-konto/dostep/{foreign.pk}/rola/", {"role": "viewer"}).status_code == 404
    own = CustomerAccess.objects.get(user=alice)
    assert client.post(f"/moje-konto/dostep/{own.pk}/cofnij/").status_code == 404  # the właściciel stays


def test_a_bad_invitation_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    response = _invite(client, "nie-adres", "proxy")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="nie-adres"' in html and "Popraw błędy" in html


def test_moje_konto_with_access_and_invitations_stays_within_the_query_budget(client, alice):
    from tests.queries import MAX_QUERIES, count_queries

    client.force_login(alice)
    counts = []
    for n in range(1, 4):
        factories.grant(factories.make_login(f"rep{n}"), alice.customer, Role.PROXY)
        _invite(client, f"inv{n}@example.pl")
        counts.append(count_queries(client, "/moje-konto/"))
    assert counts[0] == counts[-1] <= MAX_QUERIES, counts
