"""Login limits on a real deployment: behind a reverse proxy, and across server processes.

The servers here have their own settings (a trusted proxy, low limits), so they are started for
this module. Requests from 127.0.0.1 come "from the proxy"; a client bound to 127.0.0.2 is a
stranger connecting directly.
"""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.client import PASSWORD, create_user, expect_error, login, unique
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers

TOO_MANY = "api.user.check_user_login_attempts.too_many.app_error"
INVALID = "api.user.login.invalid_credentials_email_username"
ADDRESS_LIMIT = 3


@pytest.fixture(scope="module")
def behind_proxy() -> Iterator[ServerProcess]:
    proxy_env = {
        "VILLAGEPUMP_TRUSTED_PROXIES": "127.0.0.1",
        "VILLAGEPUMP_LOGIN_FAILURES_PER_ADDRESS": str(ADDRESS_LIMIT),
    }
    with running_servers("sqlite", env=proxy_env) as (server,):
        yield server


def _client(server: ServerProcess, peer: str = "127.0.0.1") -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=peer)
    return httpx.Client(base_url=server.url + "/api/v4", transport=transport, timeout=30)


def _login(client: httpx.Client, login_id: str, password: str, **headers: str) -> httpx.Response:
    return client.post(
        "/users/login",
        json={"login_id": login_id, "password": password},
        headers={name.replace("_", "-"): value for name, value in headers.items()},
    )


def _somebody(server: ServerProcess) -> str:
    return create_user(login(server.url, "sysadmin", ADMIN_PASSWORD), "rosencrantz").username


def test_a_stranger_cannot_dodge_the_address_limit_with_a_forged_forwarded_for(
    behind_proxy: ServerProcess,
) -> None:
    stranger = _client(behind_proxy, peer="127.0.0.2")
    for n in range(ADDRESS_LIMIT):
        forged = f"198.51.100.{n + 1}"
        failed = _login(
            stranger, unique("nobody"), "wrong-password", x_forwarded_for=forged, x_real_ip=forged
        )
        expect_error(failed, 401, INVALID)
    # A fresh forged address does not help: the limit is on the address the stranger connects from.
    user = _somebody(behind_proxy)
    refused = _login(stranger, user, PASSWORD, x_forwarded_for="198.51.100.200")
    expect_error(refused, 429, TOO_MANY)
    assert refused.headers["X-RateLimit-Limit"] == str(ADDRESS_LIMIT)
    # Everyone else still gets in.
    assert _login(_client(behind_proxy), user, PASSWORD, x_forwarded_for="203.0.113.9").status_code == 200


def test_behind_a_trusted_proxy_each_client_address_is_limited_on_its_own(
    behind_proxy: ServerProcess,
) -> None:
    proxy = _client(behind_proxy)
    abuser, neighbour = "198.51.100.7", "198.51.100.8"
    for _ in range(ADDRESS_LIMIT):
        expect_error(_login(proxy, unique("nobody"), "wrong-password", x_forwarded_for=abuser), 401, INVALID)
    user = _somebody(behind_proxy)

    refused = _login(proxy, user, PASSWORD, x_forwarded_for=abuser)
    expect_error(refused, 429, TOO_MANY)
    assert refused.headers["X-RateLimit-Limit"] == str(ADDRESS_LIMIT)
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(refused.headers["X-RateLimit-Reset"]) <= 300
    assert 0 < int(refused.headers["Retry-After"]) <= int(refused.headers["X-RateLimit-Reset"])
    # Writing another address in front of the one the proxy appended changes nothing.
    expect_error(_login(proxy, user, PASSWORD, x_forwarded_for=f"203.0.113.1, {abuser}"), 429, TOO_MANY)
    expect_error(_login(proxy, user, PASSWORD, x_real_ip=abuser), 429, TOO_MANY)

    assert _login(proxy, user, PASSWORD, x_forwarded_for=neighbour).status_code == 200
    assert _login(proxy, user, PASSWORD, x_forwarded_for=f"{abuser}, {neighbour}").status_code == 200


def test_a_users_address_is_shown_to_nobody(behind_proxy: ServerProcess) -> None:
    admin = login(behind_proxy.url, "sysadmin", ADMIN_PASSWORD)
    hamlet, othello = create_user(admin, "hamlet"), create_user(admin, "othello")
    address = "198.51.100.77"
    assert (
        _login(_client(behind_proxy), hamlet.username, PASSWORD, x_forwarded_for=address).status_code == 200
    )
    seen: list[Any] = [
        othello.get(f"/users/{hamlet.id}").text,
        othello.post("/users/ids", [hamlet.id]).text,
        othello.post("/users/status/ids", [hamlet.id]).text,
        hamlet.get("/users/me/sessions").text,
        admin.get(f"/users/{hamlet.id}/sessions").text,
    ]
    assert all(address not in text for text in seen)
    assert all("198.51.100" not in text for text in seen)


@pytest.fixture(scope="module")
def two_processes() -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = {"VILLAGEPUMP_LOGIN_FAILURES_PER_ACCOUNT": "4"}
    with running_servers("postgresql", 2, redis=True, env=env) as (a, b):
        yield a, b


def test_processes_sharing_redis_share_the_count(two_processes: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = two_processes
    user = _somebody(a)
    on_a, on_b = _client(a), _client(b)
    for client in (on_a, on_b, on_a, on_b):
        expect_error(_login(client, user, "wrong-password"), 401, INVALID)
    # Four failures, two on each process: the account's limit is reached on both.
    for client in (on_a, on_b):
        refused = _login(client, user, PASSWORD)
        expect_error(refused, 429, TOO_MANY)
        assert refused.headers["X-RateLimit-Limit"] == "4"
    # Another account is untouched on either.
    other = _somebody(b)
    assert _login(on_a, other, PASSWORD).status_code == 200
