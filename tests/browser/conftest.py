"""Browser tests: Playwright driving Debian's headless Chromium against the live server.

Skipped with a clear reason where no Chromium is installed; in CI (EBOK_REQUIRE_BROWSER=1)
a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are ours.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("EBOK_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"EBOK_REQUIRE_BROWSER is set but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", timezone_id="Europe/Warsaw", reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as(page, live_server):
    """Log a user in through the real session machinery by planting a session cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    def _login(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if user.is_staff:  # staff arrive having passed the admin's TOTP step (tested on its own)
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(user=user, name="telefon", defaults={"confirmed": True})
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        host = live_server.url.split("//", 1)[1].split(":")[0]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
        )
        return page

    return _login


@pytest.fixture
def case_types(transactional_db):
    """The case types and staff group of the cases app's data migration.

    Live-server tests flush the database between tests, taking migration data with them.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("cases.migrations.0002_case_types_and_staff_group").seed(apps, None)


@pytest.fixture
def heat_rules(case_types):
    """The heat app's data migration (deadlines, power rules, staff permissions), flushed like the case types."""
    import importlib

    from django.apps import apps

    importlib.import_module("heat.migrations.0002_default_rules_and_staff_permissions").seed(apps, None)
