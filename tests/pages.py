"""What a page returns to a visitor: its HTML once it rendered, or where it sends them to log in."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse


def page_html(client, url: str, **params) -> str:
    """The page's HTML, after checking that it really rendered (a 404 or a redirect shows no one's data)."""
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def login_redirect(path: str, login: str = "accounts:login") -> str:
    """The Location of the redirect to the login page, coming back to ``path`` afterwards."""
    return f"{reverse(login)}?next={quote(path)}"
