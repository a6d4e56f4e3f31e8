"""A real SMTP server on loopback (aiosmtpd) for the mail tests."""

from __future__ import annotations

import asyncio
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


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
def start_server(smtp_port):
    controllers = []

    def start(delay: float = 0) -> Inbox:
        inbox = Inbox(delay)
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()
