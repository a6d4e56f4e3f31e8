"""Request-wide hardening: no caching of logged-in pages, NUL bytes, request body limits."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

# --- Cache-Control: private, no-store on pages seen while logged in --------------------------


@pytest.mark.parametrize("name", ["start", "billing:documents", "billing:payments", "cases:list", "meters:list"])
def test_customer_pages_are_not_stored_by_browsers_or_proxies(alice_client, name):
    response = alice_client.get(reverse(name))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_a_customer_file_download_is_not_stored_either(alice_client, alice):
    factories.make_document(alice.customer, "FV/2026/04/00123", pdf=factories.write_pdf("pdf/fv.pdf", b"%PDF-1.4 x"))
    response = alice_client.get(reverse("billing:document_pdf", args=["FV/2026/04/00123"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_login_page_for_a_visitor_may_be_cached_as_before(client):
    # Only requests of a session are marked; the static legal pages of an anonymous visitor are not.
    response = client.get(reverse("accounts:terms"))
    assert "no-store" not in response.get("Cache-Control", "")


# --- NUL bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/dokumenty/faktura/FV%00/pdf/",
        "/dokumenty/pismo/a%00/pdf/",
        "/liczniki/a%00/podaj-odczyt/",
        "/punkty-odbioru/a%00b/",
    ],
)
def test_a_nul_byte_in_a_path_parameter_is_a_404(alice_client, path):
    # PostgreSQL refuses NUL in a string: before, the lookup raised and the page was a 500.
    alice_client.raise_request_exception = False
    assert alice_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_a_nul_byte_in_the_session_cookie_is_a_400(client, settings, engine):
    settings.SESSION_ENGINE = engine
    client.raise_request_exception = False
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def"
    assert client.get(reverse("accounts:login")).status_code == 400


def test_a_nul_byte_in_a_query_parameter_is_a_400(alice_client):
    alice_client.raise_request_exception = False
    response = alice_client.get(reverse("cases:search"), {"q": "a\x00b"})
    assert response.status_code == 400


# --- request body limits (docs/deployment.md, nginx's client_max_body_size) ------------------


def test_a_body_over_the_form_limit_is_refused_before_it_is_read(client):
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"x" * 10,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(1024 * 1024 + 1),
    )
    assert response.status_code == 413


def test_a_case_upload_may_be_larger_than_a_form_but_not_without_bound(alice_client):
    big_for_a_form = str(5 * 1024 * 1024)
    response = alice_client.generic(
        "POST", reverse("cases:new"), b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=big_for_a_form
    )
    assert response.status_code != 413
    response = alice_client.generic(
        "POST",
        reverse("cases:new"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(55 * 1024 * 1024 + 1),
    )
    assert response.status_code == 413


def test_the_limits_are_those_of_the_deployment_doc():
    doc = (settings.BASE_DIR / "docs" / "deployment.md").read_text()
    for pattern, size in settings.EBOK_REQUEST_BODY_LIMITS:
        megabytes = size // (1024 * 1024)
        assert f"location ~ {pattern} {{\n            client_max_body_size {megabytes}m;" in doc
    assert f"client_max_body_size {settings.EBOK_REQUEST_BODY_DEFAULT_LIMIT // (1024 * 1024)}m;" in doc
