import re

import pytest

pytestmark = pytest.mark.urls("tests.ebok.urls_for_tests")


def _nonce_in_header(response) -> str | None:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1) if match else None


def test_every_page_gets_a_policy_without_unsafe_inline(client, db):
    response = client.get("/plain/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "unsafe-inline" not in policy


def test_pages_without_the_captcha_do_not_allow_google(client, db):
    policy = client.get("/plain/")["Content-Security-Policy"]
    assert "google" not in policy
    assert "gstatic" not in policy
    assert "nonce" not in policy


def test_the_captcha_view_allows_googles_hosts_and_a_nonce_for_its_script(client, db):
    response = client.get("/captcha/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src "))
    assert "'self'" in script_src
    assert "https://www.google.com/recaptcha/" in script_src
    assert "https://www.gstatic.com/recaptcha/" in script_src
    assert "frame-src https://www.google.com/recaptcha/" in policy
    assert "unsafe-inline" not in policy
    assert _nonce_in_header(response)


def test_the_captcha_script_tag_carries_the_same_nonce_as_the_header(client, db):
    response = client.get("/captcha/")
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 1, "the widget's inline callback script must be gone"
    assert "recaptcha/api.js" in scripts[0]
    assert f'nonce="{_nonce_in_header(response)}"' in scripts[0]
    assert "data-callback" not in html


def test_each_request_gets_a_fresh_nonce(client, db):
    assert _nonce_in_header(client.get("/captcha/")) != _nonce_in_header(client.get("/captcha/"))


def test_the_home_page_has_no_inline_script(client, db):
    response = client.get("/")
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag
    assert " style=" not in response.content.decode()
