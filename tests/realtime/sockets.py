"""Raw WebSocket connections for the realtime tests: any authentication, any query string."""

import json
import time
from typing import Any

from tests.support.client import API
from websockets.sync.client import ClientConnection, connect


def open_socket(
    api: API, *, auth: str = "header", query: str = "", headers: dict[str, str] | None = None
) -> ClientConnection:
    """auth: "header" (bearer), "cookie" (MMAUTHTOKEN), "query" (?access_token=) or "none"."""
    url = api.base_url.replace("http://", "ws://") + "/api/v4/websocket"
    params = [query] if query else []
    extra = dict(headers or {})
    if auth == "header":
        extra["Authorization"] = f"Bearer {api.token}"
    elif auth == "cookie":
        extra["Cookie"] = f"MMAUTHTOKEN={api.token}"
    elif auth == "query":
        params.append(f"access_token={api.token}")
    if params:
        url += "?" + "&".join(params)
    return connect(url, additional_headers=extra, open_timeout=10, legacy=True)


def receive(ws: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))  # type: ignore[no-any-return]


def receive_all(ws: ClientConnection, within: float = 0.5) -> list[dict[str, Any]]:
    """Everything that arrives in the next `within` seconds."""
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + within
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            messages.append(receive(ws, remaining))
        except TimeoutError:
            break
    return messages


def wait_for(
    ws: ClientConnection, predicate: Any, timeout: float = 5
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first message matching `predicate`, and every message before it, in order."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"nothing matched within {timeout}s; saw {seen}")
        try:
            message = receive(ws, remaining)
        except TimeoutError:
            continue
        if predicate(message):
            return message, seen
        seen.append(message)


def event_named(name: str, **data: Any) -> Any:
    return lambda m: m.get("event") == name and all(m["data"].get(k) == v for k, v in data.items())


def reply_to(seq: int) -> Any:
    return lambda m: m.get("seq_reply") == seq


def send_action(ws: ClientConnection, seq: int, action: str, data: dict[str, Any] | None = None) -> None:
    ws.send(json.dumps({"seq": seq, "action": action, "data": data or {}}))
