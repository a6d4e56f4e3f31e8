"""A mail server refuses a customer's address for good; at login they see it, on a phone (issue #15)."""

from __future__ import annotations

import socket

from aiosmtpd.controller import Controller

from ebok import mail
from ebok.models import FailingAddress, OutboundEmail
from tests import factories
from tests.browser import wide_data
from tests.browser.axe import assert_accessible
from tests.browser.test_every_page import PHONE, SIDEWAYS


class RefusesOne:
    """A real SMTP server on loopback that has no mailbox for one address (550 at RCPT)."""

    def __init__(self, address: str):
        self.address, self.received = address, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() == self.address:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_customer_whose_address_is_refused_sees_the_banner_at_login_and_can_change_it(page, settings, db):
    address = wide_data.LONG_EMAIL  # long, so the banner must wrap at 390 px
    user = factories.make_user(factories.make_customer("200501"), email=address)
    other = factories.make_user(factories.make_customer("200502"), email="inny@example.pl")
    port = _port()
    settings.EMAIL_BACKEND = "ebok.mail_backends.SigningEmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        False,
        5,
    )
    server = RefusesOne(address)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for to in (user.email, other.email):
            mail.send("accounts-password-changed", to=to, context={"customer_number": "200501", "reset_url": "x"})
        assert mail.deliver_due() == (1, 1)
    finally:
        controller.stop()
    assert server.received == ["inny@example.pl"]
    assert FailingAddress.objects.get().address == address
    assert OutboundEmail.objects.get(to=[address]).status == OutboundEmail.Status.FAILED

    page.set_viewport_size(PHONE)
    page.goto("/logowanie/")
    page.get_by_label("Login").fill("200501")
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Zatwierdź").click()
    banner = page.locator("#failing-address")
    assert banner.is_visible()
    assert f"Nie możemy dostarczyć wiadomości na adres {address}" in banner.inner_text()
    assert page.evaluate(SIDEWAYS) == []
    assert_accessible(page)
    page.goto("/dokumenty/")  # on every page, until the address changes
    assert page.locator("#failing-address").is_visible()
    with page.expect_navigation():
        banner.get_by_role("link", name="Zmień adres e-mail").click()
    assert page.url.endswith("/moje-konto/e-mail/")
    assert page.locator("#failing-address").is_visible()


def test_the_other_customer_sees_no_banner(page, login_as, db):
    FailingAddress.objects.create(address="ktos@example.pl", reason="rcpt", smtp_code=550, last_reply="User unknown")
    login_as(factories.make_user(factories.make_customer("200503"), email="inny@example.pl"))
    page.goto("/pulpit/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("#failing-address").count() == 0
