"""Session lifetime: the idle limit (the session's own expiry, SESSION_COOKIE_AGE) and the absolute one.

The idle expiry is pushed forward when a logged-in request arrives more than
EBOK_SESSION_REFRESH_SECONDS after the last push, not on every request: saving the session on
every page view cost a write and a commit per request (bench/), for a timeout counted in minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

SEEN_KEY = "ebok_seen_at"


def absolute_session_limit(get_response):
    def middleware(request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = session.get("ebok_login_at")
            if login_at is not None and now - login_at > settings.EBOK_SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the server-side session
            elif now - session.get(SEEN_KEY, 0) >= settings.EBOK_SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now  # marks the session modified: saved with a fresh expiry
        return get_response(request)

    return middleware
