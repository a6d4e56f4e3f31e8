import pytest

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


@pytest.fixture
def failing_after_the_view(client, settings):
    """A client whose requests fail inside the middleware, just within SessionMiddleware."""
    middleware = list(settings.MIDDLEWARE)
    session = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    middleware.insert(session + 1, "tests.ebok.urls_for_tests.FailsAfterTheView")
    settings.MIDDLEWARE = middleware
    client.raise_request_exception = False
    return client


def test_a_database_error_outside_a_view_is_a_503_too(failing_after_the_view, db):
    response = failing_after_the_view.get("/plain/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Serwis chwilowo niedostępny" in response.content.decode()
    assert "server closed the connection" not in response.content.decode()


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


def test_a_lost_redis_answers_503_too(failing_after_the_view, db):
    response = failing_after_the_view.get("/plain/", {"error": "redis"})
    assert response.status_code == 503
    assert "Serwis chwilowo niedostępny" in response.content.decode()
    assert "6379" not in response.content.decode()


def test_any_other_error_outside_a_view_is_a_500_without_internals(failing_after_the_view, db):
    response = failing_after_the_view.get("/plain/", {"error": "bug"})
    assert response.status_code == 500
    assert "Przepraszamy, wystąpił błąd" in response.content.decode()
    assert "secret internals" not in response.content.decode()
