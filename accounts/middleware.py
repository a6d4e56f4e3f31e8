"""The absolute session limit. The idle limit is the session's own expiry (SESSION_COOKIE_AGE,
renewed on every request by SESSION_SAVE_EVERY_REQUEST)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone


def absolute_session_limit(get_response):
    def middleware(request):
        login_at = request.session.get("ebok_login_at") if hasattr(request, "session") else None
        if login_at is not None and request.user.is_authenticated:
            age = timezone.now().timestamp() - login_at
            if age > settings.EBOK_SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the server-side session
        return get_response(request)

    return middleware
