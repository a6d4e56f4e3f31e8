from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_without_touching_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0


def test_readyz_reports_the_database(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_readyz_answers_503_when_the_database_fails(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
