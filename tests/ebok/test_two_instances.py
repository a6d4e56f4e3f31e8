"""Two app processes on one database behave as one site: sessions and lockouts are shared.

pytest-django's test database normally lives inside a transaction no other process can see, so
this test commits for real (``transaction=True``) and points two gunicorn processes at the test
database by name. An in-memory SQLite test database cannot be shared between processes at all,
so the test needs PostgreSQL (as CI and production use) and is skipped on SQLite.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.ebok.conftest import database_url
from tests.ebok.test_admin_otp import current_code
from tests.factories import PASSWORD, make_staff

ROOT = Path(__file__).resolve().parents[2]
FAILURE_LIMIT = 3

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """One gunicorn serving ebok.wsgi on its own port; a tiny HTTP client with explicit cookies."""

    def __init__(self, env: dict[str, str]):
        self.port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "ebok.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1", "-t", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn on port {self.port} did not answer within {timeout} s")

    def request(self, method: str, path: str, *, cookies: dict | None = None, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            jar = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            return response.status, {k: m.value for k, m in jar.items()}, response.read().decode(), response
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def instances():
    if connection.vendor != "postgresql":
        pytest.skip("two processes cannot share pytest-django's in-memory SQLite test database; run on PostgreSQL")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(
        {
            "EBOK_TESTING": "1",  # plain static storage and the test suite's password hasher
            "DEBUG": "0",
            "SECRET_KEY": "two-instances-share-this-secret-key-" + "x" * 20,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(),
            "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
            "LOG_LEVEL": "WARNING",
        }
    )
    started = [Instance(env), Instance(env)]
    try:
        for instance in started:
            instance.wait_ready()
        yield started
    finally:
        for instance in started:
            instance.stop()
        # The processes held connections to the test database; they are gone now, so it can be dropped.


def _admin_login(instance: Instance, username: str, password: str, token: str):
    status, cookies, body, _ = instance.request("GET", "/admin/login/")
    assert status == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = {"csrfmiddlewaretoken": csrf, "username": username, "password": password, "otp_token": token}
    form["next"] = "/admin/"
    return instance.request("POST", "/admin/login/", cookies=cookies, form=form)


def test_a_login_through_one_instance_serves_pages_through_the_other(instances):
    a, b = instances
    user = make_staff("kierownik", superuser=True)
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)

    status, cookies, _, response = _admin_login(a, user.username, PASSWORD, current_code(device))
    assert status == 302, "the login through A succeeded"
    assert response.getheader("Location") == "/admin/"
    session = {settings.SESSION_COOKIE_NAME: cookies[settings.SESSION_COOKIE_NAME]}

    status, _, body, _ = b.request("GET", "/admin/", cookies=session)
    assert status == 200
    assert "kierownik" in body
    # And without the cookie B sends us to its login page: the 200 above was the shared session.
    assert b.request("GET", "/admin/")[0] == 302


def test_a_lockout_counted_on_one_instance_holds_on_the_other(instances):
    a, b = instances
    user = make_staff("kierownik", superuser=True)
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)

    for _ in range(FAILURE_LIMIT):
        status, *_ = _admin_login(a, user.username, "zle-haslo", "000000")
        assert status in (200, 429)

    status, cookies, body, _ = _admin_login(b, user.username, PASSWORD, current_code(device))
    assert status == 429, "the right password and code on B are refused while A's lockout holds"
    assert settings.SESSION_COOKIE_NAME not in cookies
    assert "Zbyt wiele prób" in body
