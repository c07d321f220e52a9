"""Web Push to browsers, end to end against a stand-in push service: a subscription made as a
browser makes one (its own P-256 key and auth secret), the server's VAPID signature checked with
the key it publishes, the message decrypted as the browser would (http_ece, not our code), a
subscription the service reports gone forgotten, and no push to whoever should not get one."""

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.api.test_posts import post, private_channel
from tests.jobs.receiver import wait_until
from tests.jobs.servers import admin_of, servers
from tests.support.client import API, World, expect_error, login
from tests.support.server import ServerProcess


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Push:
    token: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """Answers 201 to a push, or 410 for the subscriptions in `gone`, as browsers' services do."""

    pushes: list[Push] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                token = self.path.rsplit("/", 1)[-1]
                with service.lock:
                    service.pushes.append(Push(token, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(410 if token in service.gone else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def to(self, token: str) -> list[Push]:
        with self.lock:
            return [p for p in self.pushes if p.token == token]


@dataclass
class Browser:
    """A browser's side of one subscription: its keys, and reading what arrives."""

    endpoint: str
    token: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self) -> dict[str, Any]:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)}}

    def read(self, push: Push) -> dict[str, Any]:
        assert push.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            push.body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        message: dict[str, Any] = json.loads(plain)
        return message


def check_vapid(push: Push, public_key: str, origin: str) -> None:
    """RFC 8292: `vapid t=<ES256 JWT for the service's origin>, k=<the key the server publishes>`."""
    scheme, _, params = push.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, claims, signature = fields["t"].split(".")
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        pytest.fail("the VAPID token is not signed by the published key")
    decoded = json.loads(unb64url(claims))
    assert decoded["aud"] == origin
    assert decoded["sub"].startswith(("mailto:", "https://"))
    assert int(push.headers["ttl"]) > 0


@pytest.fixture(scope="module")
def service() -> Iterator[PushService]:
    service = PushService()
    service.start()
    yield service
    assert service.server is not None
    service.server.shutdown()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    with servers(request.param) as (server,):
        admin_of(server).ok(
            "PUT", "/config/patch", {"ServiceSettings": {"AllowedUntrustedInternalConnections": "127.0.0.1"}}
        )
        yield server


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return admin_of(server)


def away(api: API) -> None:
    api.ok("PUT", f"/users/{api.id}/status", {"user_id": api.id, "status": "away"})


def subscribed(api: API, service: PushService) -> Browser:
    token = b64url(os.urandom(9))
    browser = Browser(f"{service.origin}/push/{token}", token)
    assert api.ok("POST", "/villagepump/webpush/subscriptions", browser.subscription(), status=201) == {
        "status": "OK"
    }
    return browser


def test_a_mention_reaches_the_browser_encrypted_and_signed(
    world: World, service: PushService, server: ServerProcess
) -> None:
    browser = subscribed(world.othello, service)
    away(world.othello)
    sent = post(world.hamlet, world.town_square, f"@{world.othello.username} to be or not")
    push = wait_until(lambda: service.to(browser.token), what="the push")[0]
    public_key = world.othello.ok("GET", "/villagepump/webpush")["public_key"]
    check_vapid(push, public_key, service.origin)
    message = browser.read(push)
    assert message["title"] == world.town_square["display_name"]
    assert message["body"] == f"{world.hamlet.username}: @{world.othello.username} to be or not"
    assert message["url"] == f"/{world.team['name']}/pl/{sent['id']}"
    assert message["tag"] == world.town_square["id"]


def test_no_push_while_online_or_to_someone_outside_the_channel(world: World, service: PushService) -> None:
    online = subscribed(world.othello, service)
    outsider = subscribed(world.cordelia, service)
    control = subscribed(world.iago, service)
    world.othello.ok(
        "PUT", f"/users/{world.othello.id}/status", {"user_id": world.othello.id, "status": "online"}
    )
    away(world.cordelia)
    away(world.iago)
    secret = private_channel(world, world.hamlet, world.othello, world.iago)
    names = " ".join(f"@{api.username}" for api in (world.othello, world.cordelia, world.iago))
    post(world.hamlet, secret, f"{names} plain talk")
    # iago's push, from the same fan-out, shows it has run
    assert browser_reads(control, service)["body"].endswith("plain talk")
    assert service.to(online.token) == []
    assert service.to(outsider.token) == []


def browser_reads(browser: Browser, service: PushService) -> dict[str, Any]:
    return browser.read(wait_until(lambda: service.to(browser.token), what="the push")[0])


def test_a_subscription_the_service_says_is_gone_is_forgotten(world: World, service: PushService) -> None:
    browser = subscribed(world.othello, service)
    away(world.othello)
    service.gone.add(browser.token)
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    post(world.hamlet, direct, "first")
    wait_until(lambda: service.to(browser.token), what="the push")
    time.sleep(1)  # the answer is acted on once it is in
    other = subscribed(world.iago, service)
    away(world.iago)
    post(world.hamlet, world.town_square, f"@{world.othello.username} @{world.iago.username} second")
    browser_reads(other, service)
    assert len(service.to(browser.token)) == 1
    refused = world.othello.request(
        "DELETE", "/villagepump/webpush/subscriptions", json={"endpoint": browser.endpoint}
    )
    expect_error(refused, 404, "api.webpush.subscription.not_found.app_error")


def test_signing_out_stops_the_sessions_pushes(
    world: World, service: PushService, server: ServerProcess
) -> None:
    session = login(server.url, world.othello.username)
    browser = subscribed(session, service)
    away(world.othello)
    session.ok("POST", "/users/logout")
    kept = subscribed(world.othello, service)
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    post(world.hamlet, direct, "are you there")
    assert browser_reads(kept, service)["body"] == "are you there"
    assert service.to(browser.token) == []


def test_unsubscribing_stops_pushes_and_bad_subscriptions_are_refused(
    world: World, service: PushService, admin: API
) -> None:
    browser = subscribed(world.othello, service)
    world.othello.ok("DELETE", "/villagepump/webpush/subscriptions", {"endpoint": browser.endpoint})
    bad = browser.subscription()
    cases = [
        {**bad, "keys": {"p256dh": "bm90IGEga2V5", "auth": bad["keys"]["auth"]}},
        {**bad, "keys": {"p256dh": bad["keys"]["p256dh"], "auth": "c2hvcnQ"}},
        {**bad, "endpoint": "http://internal.example.org/push/x"},
        {**bad, "endpoint": "ftp://push.example.org/x"},
        {**bad, "endpoint": "https://push.example.org/" + "x" * 1100},
        {"endpoint": bad["endpoint"]},
        {**bad, "endpoint": 12},
    ]
    for case in cases:
        refused = world.othello.post("/villagepump/webpush/subscriptions", case)
        expect_error(refused, 400, "api.webpush.subscription.invalid.app_error")
    away(world.othello)
    control = subscribed(world.iago, service)
    away(world.iago)
    post(world.hamlet, world.town_square, f"@{world.othello.username} @{world.iago.username} anyone?")
    browser_reads(control, service)
    assert service.to(browser.token) == []
    # and an admin can turn Web Push off
    admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"EnableWebPush": False}})
    try:
        assert world.othello.ok("GET", "/villagepump/webpush")["enabled"] is False
        refused = world.othello.post("/villagepump/webpush/subscriptions", browser.subscription())
        expect_error(refused, 501, "api.webpush.disabled.app_error")
    finally:
        admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"EnableWebPush": True}})
