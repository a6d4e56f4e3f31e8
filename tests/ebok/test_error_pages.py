import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from ebok import errors

pytestmark = pytest.mark.urls("tests.ebok.urls_for_tests")


def test_a_lost_database_answers_503_in_polish_without_internals(client, db, caplog):
    response = client.get("/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert '<html lang="pl">' in body
    assert "Serwis chwilowo niedostępny" in body
    assert "Connection refused" not in body
    assert "Traceback" not in body
    assert any("database unavailable" in r.getMessage() for r in caplog.records if r.name == "ebok.db")


def test_the_503_page_follows_the_chosen_language(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/database-gone/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()


def test_the_503_page_needs_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/database-gone/")
    assert response.status_code == 503


def test_a_database_error_outside_a_view_is_a_503_too(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = errors.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"]


def test_a_crash_answers_500_without_internals(client, db):
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Przepraszamy, wystąpił błąd" in body
    assert "secret internals" not in body
    assert "settings.py" not in body


def test_an_unknown_page_answers_404_in_the_site_layout(client, db):
    response = client.get("/nie-ma-takiej-strony/")
    assert response.status_code == 404
    assert "Elektroniczne Biuro Obsługi Klienta" in response.content.decode()


def test_a_bad_host_answers_400_without_internals(client, db):
    response = client.get("/", headers={"host": "evil.example.com"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "evil.example.com" not in body
    assert "ALLOWED_HOSTS" not in body


def test_a_missing_csrf_token_answers_our_403_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Brak dostępu" in response.content.decode()
    assert "CSRF" not in response.content.decode()


def test_every_error_page_is_in_polish_and_translatable():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "templates" / "errors"
    for code in ("400", "403", "404", "429", "500", "503"):
        text = (folder / f"{code}.html").read_text()
        assert "{% translate" in text, code
        assert "<script>" not in text and "style=" not in text, code


def test_a_lost_redis_answers_503_too(db):
    from redis.exceptions import ConnectionError as RedisConnectionError

    request = RequestFactory().get("/")
    try:
        raise RedisConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")
    except RedisConnectionError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert "6379" not in response.content.decode()
