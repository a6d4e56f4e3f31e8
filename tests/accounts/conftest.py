"""Customers without an account yet, with the documents registration checks against."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from billing.models import Document
from tests import factories


@pytest.fixture
def carol(db):
    """A private customer with three invoices; the two latest count for registration."""
    # Billing's e-mail on file is the one she registers with (another address also mails billing's).
    customer = factories.make_customer("100003", kind="osoba", name="Karolina Wiśniewska", email="carol@example.pl")
    factories.make_document(customer, "FV/2026/08/000100", issue_date=dt.date(2026, 8, 5))
    factories.make_document(customer, "FV/2026/09/000200", issue_date=dt.date(2026, 9, 5))
    factories.make_document(
        customer, "KOR/2026/10/000300", kind=Document.Kind.CORRECTION, issue_date=dt.date(2026, 10, 5)
    )
    return customer


@pytest.fixture
def dorota(db):
    """A tenant of a housing community: registers with the amount of her latest settlement."""
    customer = factories.make_customer("100004", kind="lokator", name="Dorota Lokator", email="carol@example.pl")
    factories.make_document(
        customer,
        "RO/2025/001",
        kind=Document.Kind.SETTLEMENT,
        gross="980.00",
        vat="0.00",
        issue_date=dt.date(2025, 10, 1),
    )
    factories.make_document(
        customer,
        "RO/2026/001",
        kind=Document.Kind.SETTLEMENT,
        gross="1234.56",
        vat="0.00",
        issue_date=dt.date(2026, 10, 1),
    )
    return customer


def registration(**overrides) -> dict:
    data = {
        "customer_number": "100003",
        "invoice_number": "KOR/2026/10/000300",
        "settlement_amount": "",
        "email": "carol@example.pl",
        "accept_terms": "on",
        "accept_data": "on",
        "e_invoices": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def link_from(message, name: str = "") -> str:
    """The path of the first portal link in an e-mail's text body."""
    paths = [p for p in re.findall(r"https?://[^/\s]+(/\S*)", message.body) if name in p]
    assert paths, message.body
    return paths[0]


def run_reset_worker() -> None:
    """What `manage.py db_worker` does with the queued reset tasks (its loop closes the test's
    database connection, so the queued rows are run here, each as the worker calls it)."""
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.ready().filter(task_path="accounts.tasks.password_reset_task"):
        result.claim("test")
        result.set_successful(result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"]))


class FakeGoogleResponse(io.BytesIO):
    """What Google's siteverify endpoint returns, for the one mocked network call."""

    def __init__(self, success: bool):
        super().__init__(json.dumps({"success": success}).encode())


@pytest.fixture
def captcha_on(settings):
    settings.RECAPTCHA_DISABLED = False
    settings.RECAPTCHA_PUBLIC_KEY = "test-public-key"
    settings.RECAPTCHA_PRIVATE_KEY = "test-private-key"
    return settings


@pytest.fixture
def google(monkeypatch):
    """Replace only the HTTP request to Google; returns a list of calls and lets a test set the answer."""
    state = {"answer": True, "calls": []}

    def fake_request(params):
        state["calls"].append(params)
        answer = state["answer"]
        if isinstance(answer, BaseException):
            raise answer
        return FakeGoogleResponse(answer)

    monkeypatch.setattr("django_recaptcha.client.recaptcha_request", fake_request)
    return state
