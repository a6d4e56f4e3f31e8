"""One-click unsubscribe (RFC 8058) from the notices the law does not require.

The "new documents" notice of a customer without e-invoices and the payment reminders carry
``List-Unsubscribe: <https://…/wypisz/<token>/>`` and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``. The token is signed (django.core.signing, a salt of its own) and
names the login and the notice; it switches that one notice off, nothing else, without a login.
Mail the law requires (e-invoices, security notices, password links, case replies) never carries
the headers.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from accounts.models import User
from ebok.audit import audit
from ebok.links import absolute_url

SALT = "accounts.unsubscribe"
# The notice in the token → the User field that switches it.
NOTICES = {"documents": "notify_documents", "reminders": "notify_reminders"}


def token_for(user: User, notice: str) -> str:
    assert notice in NOTICES
    return signing.dumps({"u": user.pk, "n": notice}, salt=SALT, compress=True)


def headers_for(user: User, notice: str) -> dict[str, str]:
    """The List-Unsubscribe headers for ``notice`` ("documents" or "reminders") to ``user``."""
    links = [f"<{absolute_url('accounts:unsubscribe', token=token_for(user, notice))}>"]
    if settings.EBOK_UNSUBSCRIBE_MAILTO:
        links.append(f"<mailto:{settings.EBOK_UNSUBSCRIBE_MAILTO}?subject=wypisz-{notice}-{user.username}>")
    return {"List-Unsubscribe": ", ".join(links), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read(token: str) -> tuple[User, str] | None:
    """(login, notice) of a valid token, or None (forged, or the login is gone)."""
    try:
        data = signing.loads(token, salt=SALT)
        user = User.objects.get(pk=data["u"], is_active=True)
        notice = data["n"]
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return (user, notice) if notice in NOTICES else None


def switch_off(*, user: User, notice: str, ip: str | None = None) -> None:
    field = NOTICES[notice]
    if getattr(user, field):
        User.objects.filter(pk=user.pk).update(**{field: False})
        setattr(user, field, False)
        audit("notice_unsubscribed", ip=ip, user=user, customer_number=user.username, notice=notice)
