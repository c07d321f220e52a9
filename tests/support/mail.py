"""A real SMTP server on loopback for the e-mail tests: aiosmtpd in a thread of the test
process, on a free port, keeping every message it accepts. It can also refuse mail for a while
(421, "try again later") to show that the server retries, and speak STARTTLS with a
self-signed certificate and require a login."""

import email
import email.policy
import re
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, Session

from tests.support.client import login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, free_port, running_servers

_LINK = re.compile(r"https?://\S+")


@dataclass
class Mailbox:
    host: str
    port: int
    username: str = ""
    password: str = ""
    messages: list[EmailMessage] = field(default_factory=list)
    # While set, every message is refused with a temporary error; each refusal is counted.
    refusing: bool = False
    refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        with self._lock:
            if self.refusing:
                self.refused += 1
                return "421 Try again later"
            content = envelope.original_content or envelope.content or b""
            assert isinstance(content, bytes)
            parsed = email.message_from_bytes(content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            self.messages.append(parsed)
        return "250 OK"

    def settings(self, **extra: Any) -> dict[str, Any]:
        """The EmailSettings that point a server at this mailbox."""
        return {
            "SMTPServer": self.host,
            "SMTPPort": str(self.port),
            "ConnectionSecurity": "",
            "EnableSMTPAuth": False,
            "FeedbackEmail": "chat@example.org",
            "FeedbackName": "Village chat",
            **extra,
        }

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 30) -> EmailMessage:
        """The `count`-th message to `address`, once it has arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = self.to(address)
            if len(received) >= count:
                return received[count - 1]
            time.sleep(0.05)
        raise AssertionError(
            f"no message #{count} to {address} within {timeout} s; got {len(self.to(address))}"
        )

    def wait_until_refused(self, count: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.refused < count:
            assert time.monotonic() < deadline, "the server never tried to send"
            time.sleep(0.05)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def link_in(message: EmailMessage) -> str:
    found = _LINK.findall(text_of(message))
    assert found, text_of(message)
    return str(found[0])


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


class _Authenticator:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        login = getattr(data, "login", b"")
        password = getattr(data, "password", b"")
        good = login == self.box.username.encode() and password == self.box.password.encode()
        return AuthResult(success=good, handled=False)


def _self_signed(folder: Path) -> ssl.SSLContext:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


@contextmanager
def running_mailbox(*, starttls: bool = False) -> Iterator[Mailbox]:
    """With `starttls`, the server requires STARTTLS (self-signed certificate) and a login as
    username "mailer", password "mail-secret"."""
    box = Mailbox("127.0.0.1", free_port())
    options: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        if starttls:
            box.username, box.password = "mailer", "mail-secret"
            options = {
                "tls_context": _self_signed(Path(folder)),
                "require_starttls": True,
                "authenticator": _Authenticator(box),
                "auth_required": True,
            }
        controller = Controller(box, hostname=box.host, port=box.port, **options)
        controller.start()
        try:
            yield box
        finally:
            controller.stop()


@contextmanager
def mailing_server(
    kind: str, mailbox: Mailbox, *, manual_clock: bool = False, **email_settings: Any
) -> Iterator[ServerProcess]:
    """A server of its own that sends its mail to `mailbox`, with its SiteURL set so the links
    in mails lead back to it; `email_settings` are further EmailSettings."""
    with running_servers(kind, manual_clock=manual_clock) as (started,):
        admin = login(started.url, "sysadmin", ADMIN_PASSWORD)
        settings = {
            "ServiceSettings": {"SiteURL": started.url},
            "EmailSettings": mailbox.settings(**email_settings),
        }
        admin.ok("PUT", "/config/patch", settings)
        yield started
