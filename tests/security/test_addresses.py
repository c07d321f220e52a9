"""Client addresses: never shown to another user who is not an admin; stored as the privacy
setting says (full, truncated or not at all); blanked once older than the retention days."""

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from tests.realtime.sockets import open_socket, receive_all
from tests.support.client import API, World, create_user, expect_error, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, serve_with_admin
from villagepump.auth import Caller
from villagepump.config import Settings
from villagepump.moderation.addresses import stored_address
from villagepump.moderation.terms import owes_terms

# Every test client connects from loopback; its address in any form starts so.
LOOPBACK = "127.0.0."
DAY_MS = 24 * 60 * 60 * 1000


def failed_login(server_url: str, username: str) -> None:
    API(server_url).post("/users/login", {"login_id": username, "password": "not the password"})


def newest(admin: API, action: str, user_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = admin.ok("GET", f"/audits?action={action}&user_id={user_id}&per_page=1")
    return found[0]


@pytest.mark.parametrize(
    ("address", "mode", "kept"),
    [
        ("203.0.113.77", "truncated", "203.0.113.0"),
        ("203.0.113.77", "full", "203.0.113.77"),
        ("203.0.113.77", "none", ""),
        ("2001:db8:abcd:12:1:2:3:4", "truncated", "2001:db8:abcd::"),
        ("2001:db8:abcd:12:1:2:3:4", "full", "2001:db8:abcd:12:1:2:3:4"),
        ("2001:db8:abcd:12:1:2:3:4", "none", ""),
        ("", "full", ""),
        ("not-an-address", "full", ""),
    ],
)
def test_what_is_kept_of_an_address(address: str, mode: str, kept: str) -> None:
    assert stored_address(address, mode) == kept


def test_terms_are_owed_again_after_the_reacceptance_period() -> None:
    settings = Settings(enable_custom_terms_of_service=True, terms_of_service_reacceptance_days=30)
    accepted = Caller(
        "u" * 26,
        "s" * 26,
        frozenset(),
        latest_terms_id="t" * 26,
        accepted_terms_id="t" * 26,
        accepted_terms_at=1_000,
    )
    now = 1_000 + 30 * DAY_MS
    assert not owes_terms(settings, accepted, now)
    assert owes_terms(settings, accepted, now + 1)
    assert not owes_terms(Settings(), accepted, now + 1)
    assert not owes_terms(settings, _fields(accepted, is_bot=True), now + 1)
    assert owes_terms(settings, _fields(accepted, accepted_terms_id=""), 1_000)
    assert not owes_terms(settings, _fields(accepted, latest_terms_id="", accepted_terms_id=""), 1_000)


def _fields(caller: Caller, **changes: Any) -> Caller:
    return replace(caller, **changes)


def test_no_other_user_sees_an_address_over_rest_or_the_websocket(
    world: World, server: ServerProcess
) -> None:
    hamlet, othello = world.hamlet, world.othello
    socket = open_socket(hamlet)
    # Othello signs in from a phone, fails a login, and has his sessions looked at by an admin.
    phone = login(server.url, othello.username)
    failed_login(server.url, othello.username)
    world.admin.ok("PUT", f"/users/{othello.id}/patch", {"nickname": "the Moor"})
    assert LOOPBACK in world.admin.ok("GET", f"/audits?user_id={othello.id}")[0]["ip_address"]
    responses = [
        hamlet.get(f"/users/{othello.id}"),
        hamlet.post("/users/ids", [othello.id]),
        hamlet.get(f"/users?in_team={world.team['id']}"),
        hamlet.post("/users/search", {"term": othello.username[:5]}),
        hamlet.get(f"/teams/{world.team['id']}/members"),
        hamlet.get(f"/users/{othello.id}/status"),
        hamlet.get("/users/me/sessions"),
        phone.get("/users/me/sessions"),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        assert LOOPBACK not in response.text, response.request.url
    # Sessions carry no address at all, even your own.
    for session in phone.ok("GET", "/users/me/sessions"):
        assert not {"ip", "ip_address", "address"} & set(session) and LOOPBACK not in str(session["props"])
    for refused in (
        hamlet.get(f"/users/{othello.id}/sessions"),
        hamlet.get(f"/users/{othello.id}/audits"),
        hamlet.get("/audits"),
        world.iago.get("/audits"),
    ):
        expect_error(refused, 403, "api.context.permissions.app_error")
    frames = receive_all(socket, 1.0)
    assert frames and all(LOOPBACK not in str(frame) for frame in frames)
    socket.close()


def test_addresses_are_stored_as_the_setting_says(world: World, server: ServerProcess) -> None:
    admin, hamlet = world.admin, world.hamlet
    try:
        for mode, kept in (("full", "127.0.0.1"), ("none", ""), ("truncated", "127.0.0.0")):
            admin.ok("PUT", "/config/patch", {"PrivacySettings": {"StoreClientAddresses": mode}})
            assert admin.ok("GET", "/config")["PrivacySettings"]["StoreClientAddresses"] == mode
            failed_login(server.url, hamlet.username)
            assert newest(admin, "login_failed", hamlet.id)["ip_address"] == kept
    finally:
        admin.ok("PUT", "/config/patch", {"PrivacySettings": {"StoreClientAddresses": "truncated"}})
    for bad in ({"StoreClientAddresses": "some"}, {"ClientAddressRetentionDays": 0}):
        response = admin.put("/config/patch", {"PrivacySettings": bad})
        assert response.status_code == 400 and response.json()["id"].startswith("model.config.is_valid.")
    assert admin.ok("GET", "/config")["PrivacySettings"]["ClientAddressRetentionDays"] == 30


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def clocked(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    # The expiry job runs every simulated minute here, rather than every hour.
    yield from serve_with_admin(
        request.param, manual_clock=True, env={"VILLAGEPUMP_JOBS_ADDRESS_EXPIRY_SECONDS": "60"}
    )


def test_stored_addresses_are_blanked_after_the_retention_days(clocked: ServerProcess) -> None:
    admin = login(clocked.url, "sysadmin", ADMIN_PASSWORD)
    admin.ok("PUT", "/config/patch", {"PrivacySettings": {"ClientAddressRetentionDays": 1}})
    hamlet = create_user(admin, "hamlet")
    failed_login(clocked.url, hamlet.username)
    assert newest(admin, "login_failed", hamlet.id)["ip_address"] == "127.0.0.0"
    clocked.advance(12 * 3600, step=3600)
    # Half a day later it is still there; a day and a bit later it is gone, the entry kept.
    failed_login(clocked.url, hamlet.username)
    clocked.advance(13 * 3600, step=3600)
    deadline = time.monotonic() + 20
    while True:
        entries = admin.ok("GET", f"/audits?action=login_failed&user_id={hamlet.id}")
        if [e["ip_address"] for e in entries] == ["127.0.0.0", ""]:
            break
        assert time.monotonic() < deadline, entries
        time.sleep(0.2)
        clocked.advance(60, step=60)
