import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from ebok.env import env_bool, env_date, env_int, env_list, parse_database_url


@pytest.mark.parametrize("value, expected", [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("X_FLAG", value)
    assert env_bool("X_FLAG") is expected


def test_env_bool_rejects_a_typo_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("X_NUM", "5m")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.pl, b.pl ,,")
    assert env_list("X_LIST") == ["a.pl", "b.pl"]


def test_database_url_reads_postgres(tmp_path):
    db = parse_database_url("postgres://ebok:p%40ss@db.local:5433/ebok?sslmode=require", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "ebok",
        "ebok",
        "p@ss",
        "db.local",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_reads_relative_and_absolute_sqlite(tmp_path):
    assert parse_database_url("sqlite:///db.sqlite3", tmp_path)["NAME"] == str(tmp_path / "db.sqlite3")
    assert parse_database_url("sqlite:////var/ebok.db", tmp_path)["NAME"] == "/var/ebok.db"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host", "sqlite://"])
def test_database_url_rejects_what_it_cannot_use(tmp_path, url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url, tmp_path)


def test_production_refuses_to_start_without_secret_key_and_hosts(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "PYTEST_CURRENT_TEST")}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="ebok.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY and ALLOWED_HOSTS must be set" in result.stderr


def test_a_date_is_read_as_yyyy_mm_dd_and_anything_else_stops_start_up(monkeypatch):
    monkeypatch.setenv("EBOK_TEST_DATE", "2026-12-01")
    assert env_date("EBOK_TEST_DATE", "2026-01-01") == dt.date(2026, 12, 1)
    monkeypatch.delenv("EBOK_TEST_DATE")
    assert env_date("EBOK_TEST_DATE", "2026-01-01") == dt.date(2026, 1, 1)
    monkeypatch.setenv("EBOK_TEST_DATE", "01.12.2026")
    with pytest.raises(ImproperlyConfigured, match="EBOK_TEST_DATE"):
        env_date("EBOK_TEST_DATE", "2026-01-01")
