"""The SMTP backend of the mail worker: Django's, plus a DKIM signature when a key is configured.

With EBOK_DKIM_SELECTOR, EBOK_DKIM_DOMAIN and EBOK_DKIM_KEY_FILE set, every message is signed
(dkimpy, relaxed/relaxed, rsa-sha256) over its final bytes just before they go to the server, so
the receiving side can check it against the public key published at
``<selector>._domainkey.<domain>`` (docs/deployment.md). Without them it is Django's SMTP backend.

The mail worker (ebok.mail) sends through ``send_one()``, which returns the recipients the server
refused while it took the message for the others (smtplib's answer, which Django's
``send_messages()`` drops).
"""

from __future__ import annotations

import uuid
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

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

    def __init__(self, message, backend: SigningEmailBackend):
        self._message = message
        self._backend = backend

    def __getattr__(self, name):
        return getattr(self._message, name)

    def message(self):
        return _Signed(self._backend.message_bytes(self._message))


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

    def message_bytes(self, message) -> bytes:
        """The bytes of the EmailMessage ``message`` as they go to the server (CRLF line ends),
        signed when a key is configured."""
        mime = message.message()
        for part in mime.walk():
            if part.is_multipart():
                # Left unset, the email package picks a boundary and then searches every part's
                # text for it with a regular expression compiled for it: a third of the cost of a
                # message with a PDF. "=_" never occurs in base64 or quoted-printable text, and
                # the random rest cannot be guessed by whoever wrote a body.
                part.set_boundary(f"=_{uuid.uuid4().hex}")
        data = mime.as_bytes(linesep="\r\n")
        return self.sign(data) + data if self.dkim_key else data

    def send_one(self, message) -> dict[str, tuple[int, bytes]]:
        """Send ``message`` over the open connection (``open()`` first). Returns the recipients the
        server refused while it took the message for the others, ``{address: (code, reply)}``;
        raises as smtplib does (``SMTPRecipientsRefused`` when it took it for none)."""
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        return self.connection.sendmail(sender, recipients, self.message_bytes(message))

    def send_messages(self, email_messages):
        if self.dkim_key is None:
            return super().send_messages(email_messages)
        return super().send_messages([_SignedMessage(m, self) for m in email_messages])
