"""A login whose address a mail server refuses for good: the banner, clearing it, billing's list (issue #15)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import AccountToken
from accounts.services import record_consent
from ebok.models import FailingAddress
from tests import factories

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
BANNER = "Nie możemy dostarczyć wiadomości na adres"


def fail(address: str, code: int = 550, reply: str = "5.1.1 No such user") -> FailingAddress:
    return FailingAddress.objects.create(address=address.lower(), reason="rcpt", smtp_code=code, last_reply=reply)


def test_the_banner_shows_on_every_page_with_a_link_to_change_the_address(alice_client, alice):
    assert BANNER not in alice_client.get(reverse("start")).content.decode()
    fail("Alice@Example.pl")
    for name in ("start", "billing:documents", "accounts:my_account", "accounts:change_email"):
        page = alice_client.get(reverse(name)).content.decode()
        assert f"{BANNER} alice@example.pl" in page, name
        assert f'href="{reverse("accounts:change_email")}"' in page


def test_the_banner_costs_no_query_of_its_own(alice_client, alice):
    url = reverse("accounts:my_account")
    alice_client.get(url)
    with CaptureQueriesContext(connection) as before:
        alice_client.get(url)
    fail(alice.email)
    with CaptureQueriesContext(connection) as after:
        page = alice_client.get(url)
    assert BANNER in page.content.decode()
    assert len(after) == len(before)


def test_another_customers_failing_address_shows_nothing_to_alice(alice_client, bob):
    fail(bob.email)
    assert BANNER not in alice_client.get(reverse("start")).content.decode()


def test_a_confirmed_change_of_address_clears_the_mark(alice_client, alice):
    fail(alice.email)
    new = "alice.nowa@example.pl"
    raw = services.issue_token(user=alice, purpose=AccountToken.Purpose.CHANGE_EMAIL, lifetime=HOUR, new_email=new)
    alice_client.post(reverse("accounts:email_confirm", kwargs={"token": raw}))
    assert not FailingAddress.objects.exists()
    assert BANNER not in alice_client.get(reverse("start")).content.decode()


def test_the_mark_stays_while_another_login_still_has_the_address(alice, bob):
    bob.email = alice.email
    bob.save()
    fail(alice.email)
    services.clear_failing_address(alice.email)
    assert FailingAddress.objects.exists()


def test_billing_gets_the_e_invoice_customers_whose_address_fails(alice, bob):
    carol = factories.make_user(factories.make_customer("100003"), email="carol@example.pl")
    for user in (alice, bob):
        record_consent(customer=user.customer, kind="e-faktury", given=True, source="rejestracja")
    record_consent(customer=carol.customer, kind="e-faktury", given=False, source="rejestracja")
    fail("ALICE@example.pl", 554, "5.7.1 Rejected\nby policy")
    fail(carol.email)  # no e-invoices: no paper to send instead
    out = StringIO()
    call_command("export_failing_addresses", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";"))
    assert [(r["nr_odbiorcy"], r["email"], r["kod_smtp"], r["odpowiedz_serwera"]) for r in rows] == [
        ("100001", "alice@example.pl", "554", "5.7.1 Rejected by policy")
    ]
    assert rows[0]["od"].endswith("+01:00") or rows[0]["od"].endswith("+02:00")
    # Withdrawn e-invoices: off the list.
    record_consent(customer=alice.customer, kind="e-faktury", given=False, source="moje-konto")
    out = StringIO()
    call_command("export_failing_addresses", stdout=out)
    assert out.getvalue().splitlines() == [
        ";".join(["nr_odbiorcy", "email", "od", "ostatni_blad", "kod_smtp", "odpowiedz_serwera"])
    ]


def test_staff_see_failing_addresses_in_the_admin(client, db):
    fail("gone@example.pl")
    admin = factories.make_staff(superuser=True)
    factories.login_staff(client, admin)
    page = client.get(reverse("admin:ebok_failingaddress_changelist"))
    assert page.status_code == 200 and "gone@example.pl" in page.content.decode()
    assert client.get(reverse("admin:ebok_failingaddress_add")).status_code == 403
