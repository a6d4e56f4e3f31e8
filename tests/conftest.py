"""Shared fixtures: two customers, alice and bob, so every test can check that one never sees the other."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core import mail
from django.utils import translation

from ebok.mail import deliver_due
from tests import factories


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Each test gets its own private file store, so no test sees another's files."""
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = settings.PRIVATE_ROOT
    settings.PRIVATE_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request with a language cookie leaves its
    language active in the thread (LocaleMiddleware never resets it), and commands run in it."""
    translation.deactivate()


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
def admin_login(client):
    """Log a staff user into the admin the way staff do: password plus a TOTP code."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.ebok.test_admin_otp import current_code

    def login(user):
        device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
        response = client.post(
            reverse("admin:login"),
            {"username": user.username, "password": factories.PASSWORD, "otp_token": current_code(device)},
        )
        assert response.status_code == 302, "the admin login with a valid TOTP code should redirect"
        return client

    return login


TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def today(time_machine):
    """Set the clock to 24.11.2026, noon in Europe/Warsaw, for tests whose expectations depend on the date.

    The whole clock moves (time.time, datetime.now, so timezone.now() and localdate() alike) and keeps
    ticking from there; the database's own clock (PostgreSQL's now()) does not, and the portal never reads it.
    """
    # Given in UTC (noon in Warsaw): an aware ZoneInfo destination would also set the process's
    # time zone, and code reading the machine's local date by mistake would pass.
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(11), tzinfo=dt.UTC), tick=True)
    return TODAY


@pytest.fixture
def redis_url():
    """A Redis database the test may empty (EBOK_TEST_REDIS_URL), emptied before and after it.

    Where no Redis answers the test is skipped, unless EBOK_REQUIRE_REDIS is set (CI sets it):
    then that is a failure. Any other Redis error (a wrong password, say) fails the test anyway.
    """
    import redis

    url = os.environ.get("EBOK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    server = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    try:
        server.ping()
    except redis.exceptions.AuthenticationError:
        raise  # a Redis is there: the URL is wrong, which no skip should hide
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        if os.environ.get("EBOK_REQUIRE_REDIS"):
            pytest.fail(f"EBOK_REQUIRE_REDIS is set but no Redis answers at {url}: {exc}")
        pytest.skip(f"no Redis at {url} (set EBOK_TEST_REDIS_URL): {exc}")
    server.flushdb()
    yield url
    server.flushdb()
    server.close()


@pytest.fixture
def case_staff(db):
    """A staff member in the "Obsługa klienta" group (not a superuser)."""
    from django.contrib.auth.models import Group

    user = factories.make_staff("konsultant")
    user.groups.add(Group.objects.get(name="Obsługa klienta"))
    return user


@pytest.fixture
def payu(settings):
    """The fake PayU on loopback (tests/onlinepay/fake_payu.py), and the portal's settings pointing at it."""
    from tests.onlinepay import fake_payu

    fake = fake_payu.FakePayu().start()
    settings.EBOK_PAYU_URL = fake.url
    settings.EBOK_PAYU_POS_ID = fake_payu.POS_ID
    settings.EBOK_PAYU_CLIENT_ID = fake_payu.CLIENT_ID
    settings.EBOK_PAYU_CLIENT_SECRET = fake_payu.CLIENT_SECRET
    settings.EBOK_PAYU_SECOND_KEY = fake_payu.SECOND_KEY
    settings.EBOK_PAYU_TIMEOUT = 5
    yield fake
    fake.stop()
