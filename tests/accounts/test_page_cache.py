"""Account changes bump the customer's cached pages (ebok.pagecache).

Every page's header names the login; Moje konto (not cached itself) shows the e-mail, consents,
notices and two-factor state. Each change must make the next view of a cached page render again.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services, two_factor
from accounts.models import AccountToken
from tests import factories
from tests.pagecache import changes_version, page, warm

START = reverse("start")


@pytest.fixture
def version(transactional_db, alice):
    """Calls ``change()`` (committed) and tells whether it changed the version of alice's pages."""
    return lambda change: changes_version(alice.customer, change)


def test_the_login_in_the_header_is_rendered_again_when_it_changes(alice_client, alice):
    assert "Odbiorca 100001" in warm(alice_client, START).content.decode()
    alice.username = "100001-a"  # staff, in the admin
    alice.save()
    html, state = page(alice_client, START)
    assert state == "miss" and "Odbiorca 100001-a" in html


def test_notice_preferences(alice_client, alice, version):
    url = reverse("accounts:notice_preferences")
    assert version(lambda: alice_client.post(url, {"language": "en", "notify_documents": "on"}))


def test_the_e_invoice_switch(alice_client, alice, version):
    url = reverse("accounts:e_invoice_consent")
    assert version(lambda: alice_client.post(url, {"e_invoices": "on"}))
    assert version(lambda: alice_client.post(url, {}))


def test_an_e_mail_change_when_asked_and_when_confirmed(alice, version):
    assert version(
        lambda: services.email_change_start(user=alice, new_email="nowy@example.pl")
    )  # "czeka na potwierdzenie"
    token = AccountToken.objects.get(purpose=AccountToken.Purpose.CHANGE_EMAIL)
    token.digest = services._digest("surowy-token")
    token.save()
    assert version(lambda: services.email_change_confirm(raw="surowy-token"))
    alice.refresh_from_db()
    assert alice.email == "nowy@example.pl"


def test_two_factor_on_and_off(alice, version):
    assert version(lambda: factories.enable_two_factor(alice))
    assert version(lambda: two_factor.disable(alice))


def test_a_password_change(alice_client, alice, version):
    url = reverse("accounts:change_password")
    new = "Nowe-Haslo-2026"
    assert version(
        lambda: alice_client.post(url, {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new})
    )


def test_a_login_changes_no_version_its_new_session_has_new_pages(client, alice, version):
    login = {"username": "100001", "password": factories.PASSWORD}
    assert not version(lambda: client.post(reverse("accounts:login"), login))
