import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from tests import factories


def _pending(days_old: int) -> User:
    return factories.make_user(status=User.Status.PENDING, date_joined=timezone.now() - dt.timedelta(days=days_old))


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_pending_registrations", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_pending_accounts_older_than_seven_days(alice):
    old = _pending(8)
    fresh = _pending(6)
    output = _run()
    assert "Deleted 1 pending registration(s) older than 7 days." in output
    assert not User.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk=fresh.pk).exists()
    assert User.objects.filter(pk=alice.pk).exists()  # active accounts stay, whatever their age


def test_an_old_active_account_is_kept(alice):
    User.objects.filter(pk=alice.pk).update(date_joined=timezone.now() - dt.timedelta(days=400))
    _run()
    assert User.objects.filter(pk=alice.pk).exists()


def test_dry_run_deletes_nothing(db):
    _pending(30)
    assert "Would delete 1" in _run("--dry-run")
    assert User.objects.count() == 1


def test_the_age_is_a_setting(db, settings):
    settings.EBOK_PENDING_REGISTRATION_DAYS = 2
    _pending(3)
    _run()
    assert not User.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_rows(db):
    _pending(10)
    with CaptureQueriesContext(connection) as one:
        _run()
    for _ in range(10):
        _pending(10)
    with CaptureQueriesContext(connection) as ten:
        _run()
    assert len(one) == len(ten)
