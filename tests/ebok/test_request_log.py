import json
import logging

from ebok.logging import JsonFormatter, RequestIdFilter


def test_each_response_carries_a_generated_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_sane_incoming_request_id_is_kept(client, db):
    response = client.get("/healthz", headers={"x-request-id": "nginx-4f2a9c1d7e"})
    assert response["X-Request-ID"] == "nginx-4f2a9c1d7e"


def test_an_insane_incoming_request_id_is_replaced(client, db):
    response = client.get("/healthz", headers={"x-request-id": "x\nINFO forged line"})
    assert response["X-Request-ID"] != "x\nINFO forged line"
    assert len(response["X-Request-ID"]) == 32


def test_one_line_per_request_with_method_path_status_duration_user_and_id(alice_client, caplog):
    with caplog.at_level(logging.INFO, logger="ebok.request"):
        response = alice_client.get("/", headers={"x-request-id": "abcdef123456"})
    lines = [r for r in caplog.records if r.name == "ebok.request"]
    assert len(lines) == 1
    record = lines[0]
    assert record.method == "GET"
    assert record.path == "/"
    assert record.status == response.status_code
    assert record.duration_ms >= 0
    assert record.user_id == alice_client.session["_auth_user_id"] or str(record.user_id) == str(
        alice_client.session["_auth_user_id"]
    )
    assert record.request_id == "abcdef123456"


def test_the_request_line_does_not_load_the_session_for_anonymous_probes(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/healthz")


def test_the_json_formatter_writes_one_object_per_line_with_the_request_id():
    record = logging.LogRecord("ebok.request", logging.INFO, __file__, 1, "GET %s", ("/",), None)
    record.status = 200
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["message"] == "GET /"
    assert payload["level"] == "INFO"
    assert payload["logger"] == "ebok.request"
    assert payload["status"] == 200
    assert payload["request_id"] == "-"


def test_log_format_json_is_selected_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "LOG_FORMAT": "json", "EBOK_TESTING": "1"}
    code = "import logging; logging.getLogger('ebok.x').warning('hello %s', 'there')"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = next(line for line in result.stderr.splitlines() if "hello" in line)
    assert json.loads(line)["message"] == "hello there"


def test_behind_one_proxy_the_client_address_is_the_last_forwarded_hop(client, db, settings, caplog):
    settings.EBOK_PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="ebok.request"):
        client.get("/healthz", headers={"x-forwarded-for": "1.2.3.4, 198.51.100.7"}, REMOTE_ADDR="127.0.0.1")
    assert "ip=198.51.100.7" in caplog.records[-1].getMessage()


def test_without_trusted_proxies_a_forwarded_header_is_ignored(client, db, settings, caplog):
    settings.EBOK_PROXY_COUNT = 0
    with caplog.at_level(logging.INFO, logger="ebok.request"):
        client.get("/healthz", headers={"x-forwarded-for": "1.2.3.4"}, REMOTE_ADDR="127.0.0.1")
    assert "ip=127.0.0.1" in caplog.records[-1].getMessage()


def _plain_formatter() -> logging.Formatter:
    """The formatter settings.LOGGING configures for LOG_FORMAT=plain."""
    from logging.config import DictConfigurator

    from django.conf import settings

    config = DictConfigurator({"version": 1})
    return config.configure_formatter(dict(settings.LOGGING["formatters"]["plain"]))  # it pops "()"


def test_plain_log_lines_escape_control_characters_a_client_sent(client, db, caplog):
    # A forged audit line through %0A in the path and a newline in the login's username.
    forged = "\nINFO ebok.audit login actor=200101"
    with caplog.at_level(logging.INFO):
        client.get("/nie-ma%0A" + "INFO%20ebok.audit%20login%20actor=200101")
        client.post("/logowanie/", {"username": "100001" + forged, "password": "x\rq"})
    records = [r for r in caplog.records if r.name in ("ebok.request", "ebok.audit")]
    assert any("\n" in r.getMessage() for r in records), "the raw values reach the records"
    formatter = _plain_formatter()
    for record in records:
        RequestIdFilter().filter(record)
        line = formatter.format(record)
        assert "\n" not in line and "\r" not in line, line
    lines = [formatter.format(r) for r in records]
    assert any("\\nINFO ebok.audit" in line for line in lines)


def test_plain_log_lines_escape_bidi_and_other_invisible_characters():
    record = logging.LogRecord("ebok.audit", logging.INFO, __file__, 1, "user=%s", ("a\u202eb\x1bc\u2028d",), None)
    RequestIdFilter().filter(record)
    line = _plain_formatter().format(record)
    assert line.endswith("user=a\\u202eb\\x1bc\\u2028d")


def test_a_traceback_keeps_its_lines():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("ebok", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RequestIdFilter().filter(record)
    assert "\nValueError: boom" in _plain_formatter().format(record)
