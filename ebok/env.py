"""Typed readers for the environment that fail loudly on malformed values.

Settings read every knob through these helpers, so a typo in production
(``DEBUG=flase``) stops start-up with a message naming the variable instead of
silently meaning something else.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def env_date(name: str, default: str) -> dt.date:
    """A date written as 2026-11-24."""
    value = os.environ.get(name) or default
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date written as YYYY-MM-DD; got {value!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str, base_dir: Path) -> dict:
    """Turn ``postgres://user:pw@host:port/name`` or ``sqlite:///path`` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL names no database: {url!r}")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative/file or sqlite:////absolute/file: drop the slash that ends "sqlite://".
        path = unquote(parsed.path)[1:]
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL names no SQLite file: {url!r}")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(base_dir / path)}
    raise ImproperlyConfigured(f"DATABASE_URL must start with postgres:// or sqlite:///; got {url!r}")


def env_database(name: str, default: str, base_dir: Path) -> dict:
    return parse_database_url(env_str(name, default) or default, base_dir)
