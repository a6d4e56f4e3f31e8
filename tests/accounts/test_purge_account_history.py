"""manage.py purge_account_history: attempts and login history (client IP addresses) go after their days."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AccountAttempt, LoginEvent


def _attempt(days_old: float, **kw) -> AccountAttempt:
    fields = {"kind": AccountAttempt.Kind.LOGIN, "customer_number": "1000001", "ip": "203.0.113.7"}
    fields.update(kw, outcome=AccountAttempt.Outcome.FAILED, at=timezone.now() - dt.timedelta(days=days_old))
    return AccountAttempt.objects.create(**fields)


def _login(user, days_old: float) -> LoginEvent:
    return LoginEvent.objects.create(user=user, ip="198.51.100.4", at=timezone.now() - dt.timedelta(days=days_old))


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_account_history", *args, stdout=out)
    return out.getvalue()


def test_old_attempts_and_logins_go_recent_ones_stay(alice):
    old_attempt, recent_attempt = _attempt(91), _attempt(89, kind=AccountAttempt.Kind.RESET)
    old_login, recent_login = _login(alice, 366), _login(alice, 364)
    output = _run()
    assert "Deleted 1 attempt(s) older than 90 days and 1 login record(s) older than 365 days." in output
    assert list(AccountAttempt.objects.values_list("pk", flat=True)) == [recent_attempt.pk]
    assert list(LoginEvent.objects.values_list("pk", flat=True)) == [recent_login.pk]
    assert not AccountAttempt.objects.filter(pk=old_attempt.pk).exists()
    assert not LoginEvent.objects.filter(pk=old_login.pk).exists()


def test_dry_run_deletes_nothing(alice):
    _attempt(100)
    _login(alice, 400)
    assert "Would delete 1 attempt(s) older than 90 days and 1 login record(s)" in _run("--dry-run")
    assert AccountAttempt.objects.count() == 1
    assert LoginEvent.objects.count() == 1


def test_the_days_are_settings(alice, settings):
    settings.EBOK_ATTEMPT_DAYS = 3
    settings.EBOK_LOGIN_HISTORY_DAYS = 10
    _attempt(4)
    kept = _attempt(2)
    _login(alice, 11)
    _run()
    assert list(AccountAttempt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not LoginEvent.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_rows(alice):
    _attempt(100)
    _login(alice, 400)
    with CaptureQueriesContext(connection) as one:
        _run()
    for _ in range(10):
        _attempt(100)
        _login(alice, 400)
    with CaptureQueriesContext(connection) as ten:
        _run()
    assert len(one) == len(ten)


@pytest.mark.parametrize("name", ["EBOK_ATTEMPT_DAYS", "EBOK_LOGIN_HISTORY_DAYS"])
def test_a_day_or_less_stops_start_up(name):
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update({name: "1", "DJANGO_SETTINGS_MODULE": "ebok.settings"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "EBOK_ATTEMPT_DAYS and EBOK_LOGIN_HISTORY_DAYS must be at least 2." in result.stderr
