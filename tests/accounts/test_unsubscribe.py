"""The page behind List-Unsubscribe: GET asks, the one-click POST switches one notice off (issue #15)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import unsubscribe
from accounts.models import User
from ebok.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(user, notice: str = "documents") -> str:
    return reverse("accounts:unsubscribe", kwargs={"token": unsubscribe.token_for(user, notice)})


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_a_get_only_asks_and_changes_nothing(alice):
    response = Client().get(url(alice, "reminders"))
    assert response.status_code == 200
    assert "przypomnień o zaległych płatnościach" in response.content.decode()
    assert fresh(alice).notify_reminders is True


def test_the_one_click_post_needs_no_login_and_no_csrf_token_and_is_audited(alice):
    provider = Client(enforce_csrf_checks=True)  # a mail provider's POST: no cookies at all
    response = provider.post(url(alice, "reminders"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Przypomnienia o zaległych płatnościach są wyłączone." in response.content.decode()
    alice = fresh(alice)
    assert (alice.notify_reminders, alice.notify_documents) == (False, True)
    assert AuditEvent.objects.filter(event="notice_unsubscribed", customer_number="100001").count() == 1
    provider.post(url(alice, "reminders"), {"List-Unsubscribe": "One-Click"})  # again: nothing more to do
    assert AuditEvent.objects.filter(event="notice_unsubscribed").count() == 1


def test_the_button_on_the_page_is_csrf_protected_like_every_form(alice):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url(alice)).status_code == 403  # no token, not the one-click body
    assert fresh(alice).notify_documents is True
    page = browser.get(url(alice))
    token = page.cookies["csrftoken"].value
    assert browser.post(url(alice), {"csrfmiddlewaretoken": token}).status_code == 200
    assert fresh(alice).notify_documents is False
    assert "już wyłączone" in browser.get(url(alice)).content.decode()


def test_a_forged_or_foreign_token_changes_nothing(alice, bob):
    token = unsubscribe.token_for(alice, "documents")
    for bad in (token[:-2] + "xx", "nie-token", token.replace(":", "")):
        response = Client().post(
            reverse("accounts:unsubscribe", kwargs={"token": bad}), {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 404
    # A token names one login: alice's link never touches bob.
    Client().post(url(alice), {"List-Unsubscribe": "One-Click"})
    assert fresh(bob).notify_documents is True
    # A signature made for something else (another salt) is no unsubscribe token.
    from django.core import signing

    other = signing.dumps({"u": bob.pk, "n": "documents"}, salt="accounts.not_me", compress=True)
    assert Client().get(reverse("accounts:unsubscribe", kwargs={"token": other})).status_code == 404
