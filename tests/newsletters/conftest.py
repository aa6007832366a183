import asyncio
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from bouwplaats.newsletters.models import NewsletterList, Subscription


class RecordingHandler:
    """An SMTP sink: keeps every accepted message; refuses addresses by their local part.

    ``weiger…@`` gets a permanent 550; ``later…@`` gets a temporary 451 the first
    ``temporary_refusals`` times.
    """

    def __init__(self, delay: float = 0.0):
        self.messages: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.delay = delay
        self.temporary_refusals = 1
        self.refused: dict[str, int] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("weiger"):
            return "550 5.1.1 Onbekende ontvanger"
        if address.startswith("later"):
            count = self.refused.get(address, 0)
            if count < self.temporary_refusals:
                self.refused[address] = count + 1
                return "451 4.3.0 Probeer het later nog eens"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink():
    """Start an aiosmtpd server on loopback; yield (controller, handler)."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_sink):
    """Send mail over real SMTP to the sink; return the handler."""
    controller, handler = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.NEWSLETTER_RETRY_DELAY = 0
    return handler


@pytest.fixture(autouse=True)
def _https_site(settings):
    settings.SITE_URL = "https://bouwplaats.example.nl"


@pytest.fixture
def newsletter_list(programme):
    return NewsletterList.objects.create(
        programme=programme,
        name=f"Nieuwsflits {programme.name}",
        slug=f"nieuwsflits-{programme.slug}",
        description="Het laatste nieuws over de sessies.",
    )


@pytest.fixture
def confirmed(newsletter_list):
    """Return a factory of confirmed subscribers on the list."""

    def make(email: str, name: str = "") -> Subscription:
        return Subscription.objects.create(
            newsletter_list=newsletter_list,
            email=email,
            name=name,
            status=Subscription.Status.CONFIRMED,
            consent_source="test",
        )

    return make
