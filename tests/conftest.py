"""Shared fixtures: two customers, alice and bob, so every test can check that one never sees the other."""

from __future__ import annotations

import pytest
from django.core import mail

from ebok.mail import deliver_due
from tests import factories


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Each test gets its own private file store, so no test sees another's files."""
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = settings.PRIVATE_ROOT
    settings.PRIVATE_ROOT.mkdir()


@pytest.fixture
def alice(db):
    customer = factories.make_customer("100001", kind="osoba", name="Alicja Nowak")
    return factories.make_user(customer, email="alice@example.pl")


@pytest.fixture
def bob(db):
    customer = factories.make_customer("100002", kind="firma", name="Bobex Sp. z o.o.", nip="1181590832")
    return factories.make_user(customer, email="bob@example.pl")


@pytest.fixture
def staff(db):
    return factories.make_staff()


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def send_queued_mail():
    """Run the mail queue as the worker would, then return mail.outbox."""

    def run():
        deliver_due()
        return mail.outbox

    return run


@pytest.fixture
def case_staff(db):
    """A staff member in the "Obsługa klienta" group (not a superuser)."""
    from django.contrib.auth.models import Group

    user = factories.make_staff("konsultant")
    user.groups.add(Group.objects.get(name="Obsługa klienta"))
    return user
