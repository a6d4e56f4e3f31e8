"""The SMTP backend of the mail worker: Django's, plus a DKIM signature when a key is configured.

With EBOK_DKIM_SELECTOR, EBOK_DKIM_DOMAIN and EBOK_DKIM_KEY_FILE set, every message is signed
(dkimpy, relaxed/relaxed, rsa-sha256) over its final bytes just before they go to the server, so
the receiving side can check it against the public key published at
``<selector>._domainkey.<domain>`` (docs/deployment.md). Without them it is Django's SMTP backend.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend

# The headers the signature covers: what a forger would change. From is required (RFC 6376).
SIGNED_HEADERS = [
    b"from",
    b"to",
    b"cc",
    b"subject",
    b"date",
    b"message-id",
    b"mime-version",
    b"content-type",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
]


class _Signed:
    """The bytes of one message with its DKIM-Signature header in front, in the shape the SMTP
    backend asks ``EmailMessage.message()`` for (``as_bytes``)."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, linesep: str = "\r\n") -> bytes:
        return self.data


class _SignedMessage:
    """An EmailMessage whose ``message()`` is signed; everything else is the message's own."""

    def __init__(self, message, sign):
        self._message = message
        self._sign = sign

    def __getattr__(self, name):
        return getattr(self._message, name)

    def message(self):
        data = self._message.message().as_bytes(linesep="\r\n")
        return _Signed(self._sign(data) + data)


class SigningEmailBackend(EmailBackend):
    """Django's SMTP backend; signs each message with DKIM when EBOK_DKIM_* are set."""

    @cached_property
    def dkim_key(self) -> bytes | None:
        path = getattr(settings, "EBOK_DKIM_KEY_FILE", "")
        return Path(path).read_bytes() if path else None

    def sign(self, data: bytes) -> bytes:
        """The DKIM-Signature header line(s) for the message ``data`` (CRLF line ends)."""
        import dkim  # here: it pulls in dnspython, which a worker without a key never needs

        return dkim.sign(
            data,
            settings.EBOK_DKIM_SELECTOR.encode("ascii"),
            settings.EBOK_DKIM_DOMAIN.encode("ascii"),
            self.dkim_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=SIGNED_HEADERS,
            linesep=b"\r\n",
        )

    def send_messages(self, email_messages):
        if self.dkim_key is None:
            return super().send_messages(email_messages)
        return super().send_messages([_SignedMessage(m, self.sign) for m in email_messages])
