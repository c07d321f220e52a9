"""A small API client for tests, speaking as one user, and the named example users."""

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

PASSWORD = "password-for-tests"


class API:
    """Calls /api/v4 as one user (or anonymously). Returns httpx responses; tests assert on them."""

    def __init__(self, base_url: str, token: str = "", user: dict[str, Any] | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self.user: dict[str, Any] = user or {}
        self._http = httpx.Client(base_url=base_url + "/api/v4", timeout=30)

    @property
    def id(self) -> str:
        return str(self.user["id"])

    @property
    def username(self) -> str:
        return str(self.user["username"])

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token and "authorization" not in {k.lower() for k in headers}:
            headers["Authorization"] = f"Bearer {self.token}"
        return self._http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, json: Any = None, status: int | tuple[int, ...] = (200, 201)) -> Any:
        """Makes the call, asserts it succeeded, returns the decoded body."""
        response = self.request(method, path, json=json)
        expected = (status,) if isinstance(status, int) else status
        assert response.status_code in expected, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def websocket(self, **params: str) -> "EventStream":
        return EventStream.open(self, **params)

    def close(self) -> None:
        self._http.close()


def expect_error(response: httpx.Response, status: int, error_id: str) -> dict[str, Any]:
    """Asserts Mattermost's error envelope with this status and error id; returns the envelope."""
    got = f"{response.status_code} {response.text}"
    assert response.status_code == status, f"expected {status} {error_id}, got {got}"
    body: dict[str, Any] = response.json()
    assert body.get("id") == error_id, f"expected error id {error_id}, got {body}"
    assert body.get("status_code") == status and "request_id" in body and "message" in body, body
    return body


def login(base_url: str, login_id: str, password: str = PASSWORD) -> API:
    api = API(base_url)
    response = api.post("/users/login", {"login_id": login_id, "password": password})
    assert response.status_code == 200, response.text
    api.token = response.headers["Token"]
    api.user = response.json()
    return api


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def create_user(admin: API, name: str) -> API:
    """A new account named like `name` (made unique), logged in."""
    username = unique(name)
    admin.ok(
        "POST", "/users", {"username": username, "email": f"{username}@example.org", "password": PASSWORD}
    )
    return login(admin.base_url, username)


class EventStream:
    """A WebSocket connection that has seen `hello`; `expect` waits for a named event."""

    def __init__(self, ws: ClientConnection, hello: dict[str, Any]) -> None:
        self.ws = ws
        self.hello = hello
        self.seen: list[dict[str, Any]] = [hello]
        self._action_seq = 1

    @classmethod
    def open(cls, api: API, **params: str) -> "EventStream":
        query = "&".join(f"{k}={v}" for k, v in params.items())
        url = api.base_url.replace("http://", "ws://") + "/api/v4/websocket" + (f"?{query}" if query else "")
        ws = connect(
            url, additional_headers={"Authorization": f"Bearer {api.token}"}, open_timeout=10, legacy=True
        )
        hello = json.loads(ws.recv(timeout=10))
        assert hello["event"] == "hello", hello
        return cls(ws, hello)

    def next(self, timeout: float = 5) -> dict[str, Any]:
        message = json.loads(self.ws.recv(timeout=timeout))
        self.seen.append(message)
        return message  # type: ignore[no-any-return]

    def expect(self, event: str, timeout: float = 5, **data: Any) -> dict[str, Any]:
        """The next event with this name (and these data values); others are kept in `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no {event} event within {timeout}s; saw {[m.get('event') for m in self.seen]}"
                )
            try:
                message = self.next(remaining)
            except TimeoutError:
                continue
            if message.get("event") == event and all(message["data"].get(k) == v for k, v in data.items()):
                return message

    def expect_none(self, event: str, within: float = 0.5) -> None:
        """No event with this name arrives within `within` seconds."""
        deadline = time.monotonic() + within
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = self.next(remaining)
            except TimeoutError:
                return
            assert message.get("event") != event, f"unexpected {event}: {message}"

    def send(self, action: str, data: dict[str, Any] | None = None) -> int:
        self._action_seq += 1
        self.ws.send(json.dumps({"seq": self._action_seq, "action": action, "data": data or {}}))
        return self._action_seq

    def close(self) -> None:
        self.ws.close()


@dataclass
class World:
    """A fresh team per test, with named users: hamlet and othello are members, iago is the team's
    admin, and cordelia has an account but is not in the team. `admin` is the system admin."""

    admin: API
    team: dict[str, Any]
    town_square: dict[str, Any]
    off_topic: dict[str, Any]
    hamlet: API
    othello: API
    iago: API
    cordelia: API
