import datetime as dt

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.pages import login_redirect

ACCOUNT = reverse("accounts:my_account")


def _login(client):
    client.post(reverse("accounts:login"), {"username": "100001", "password": factories.PASSWORD})


def test_the_session_expires_after_the_idle_timeout(client, alice, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    _login(client)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    cache.clear()  # with Redis (cached_db) the cached copy expires with the session, as time passing does
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def _last_seen_minutes_ago(client, minutes):
    session = client.session
    session["ebok_seen_at"] -= minutes * 60
    session.save()


def test_a_request_after_a_minute_pushes_the_idle_timeout_forward(client, alice):
    _login(client)
    _last_seen_minutes_ago(client, 2)
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get(ACCOUNT).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + dt.timedelta(minutes=29)


def test_requests_within_a_minute_do_not_write_the_session(client, alice):
    _login(client)
    client.get(ACCOUNT)
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=10))
    assert client.get(ACCOUNT).status_code == 200
    assert Session.objects.get().expire_date < timezone.now() + dt.timedelta(minutes=11)


def test_the_session_ends_after_the_absolute_limit_however_active(client, alice, settings):
    _login(client)
    session = client.session
    session["ebok_login_at"] = int((timezone.now() - dt.timedelta(hours=8, seconds=1)).timestamp())
    session.save()
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and response["Location"] == login_redirect(ACCOUNT)
    assert SESSION_KEY not in client.session


def test_a_session_within_the_absolute_limit_stays(client, alice):
    _login(client)
    session = client.session
    session["ebok_login_at"] = int((timezone.now() - dt.timedelta(hours=7)).timestamp())
    session.save()
    assert client.get(ACCOUNT).status_code == 200
