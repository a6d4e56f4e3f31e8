"""ebok.sessions.SessionStore: Django's database session store, its read written once per process."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from ebok.sessions import SessionStore


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_it_reads_what_djangos_store_reads_in_one_query(db, django_assert_num_queries):
    key = _saved(user="42", when=1_700_000_000, nested={"a": [1, 2]})
    with django_assert_num_queries(1):
        loaded = dict(SessionStore(key).items())
    assert loaded == dict(DjangoStore(key).items()) == {"user": "42", "when": 1_700_000_000, "nested": {"a": [1, 2]}}


def test_an_expired_session_is_empty_and_gets_a_new_key(db):
    key = _saved(user="42")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_an_unknown_or_tampered_session_is_empty(db):
    assert dict(SessionStore("x" * 32).items()) == {}
    key = _saved(user="42")
    Session.objects.filter(session_key=key).update(session_data="not-signed-by-us")
    assert dict(SessionStore(key).items()) == {}


def test_saving_and_deleting_are_djangos(db):
    key = _saved(user="42")
    store = SessionStore(key)
    store["user"] = "43"
    store.save()
    assert DjangoStore(key)["user"] == "43"
    store.delete()
    assert not Session.objects.filter(session_key=key).exists()
