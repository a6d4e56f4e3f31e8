"""A real SMTP server on loopback (aiosmtpd) for the mail tests, and one that refuses some mail."""

from __future__ import annotations

import asyncio
import contextlib
import email
import os
import socket
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.db import connection


class Inbox(Message):
    """Keeps what it receives; ``delay`` makes each message take that long, as a busy relay does."""

    def __init__(self, delay: float = 0):
        super().__init__()
        self.delay = delay
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    def handle_message(self, message):
        self.messages.append(message)

    def recipients(self) -> list[str]:
        return sorted(m["To"] for m in self.messages)


class Refusing(Inbox):
    """Refuses some recipients at RCPT and some messages at DATA, with the given replies."""

    def __init__(self, rcpt: dict[str, str] | None = None, data: dict[str, str] | None = None):
        super().__init__()
        self.rcpt, self.data = rcpt or {}, data or {}
        self.tried: list[str] = []  # every RCPT TO the server was asked

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.tried.append(address)
        if address.lower() in self.rcpt:  # mailbox names are case-insensitive at this server
            return self.rcpt[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.data:
                return self.data[address]
        return await super().handle_DATA(server, session, envelope)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "ebok.mail_backends.SigningEmailBackend"  # production's (DKIM off here)
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "eBOK MPEC <ebok@mpec.example.pl>"
    return port


@pytest.fixture
def serve(smtp_port):
    """Start an aiosmtpd handler (e.g. a Refusing) on the test's port; returns its Controller,
    which a test may stop for an outage."""
    controllers = []

    def start(handler) -> Controller:
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for controller in controllers:
        with contextlib.suppress(AssertionError, RuntimeError):  # stopped by the test already
            controller.stop()


@pytest.fixture
def start_server(serve):
    """Start an Inbox (``delay`` per message) on the test's port; returns the Inbox."""

    def start(delay: float = 0) -> Inbox:
        inbox = Inbox(delay)
        serve(inbox)
        return inbox

    return start


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process of its own (a worker, a gunicorn)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(smtp_port: int, **extra: str) -> dict[str, str]:
    """The environment of a `manage.py send_queued_mail` process on the test database, sending to
    the test's SMTP server on ``smtp_port``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(
        {
            "EBOK_TESTING": "1",
            "DEBUG": "1",  # the production checks (CAPTCHA keys …) are not what these tests are about
            "DATABASE_URL": database_url(),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env
