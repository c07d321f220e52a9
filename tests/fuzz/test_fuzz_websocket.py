"""WebSocket actions survive junk: every reply is OK or a FAIL with a 4xx error envelope, garbage
frames are ignored, and the connection still answers a ping afterwards."""

import json
import zlib
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from tests.fuzz.strategies import WRONG_FIELD_VALUES, json_values, random_id
from tests.fuzz.test_fuzz_routes import EXAMPLES
from tests.spec.coverage import websocket_actions
from tests.support.client import World
from tests.support.server import ServerProcess

FIELDS = [
    "channel_id",
    "parent_id",
    "user_ids",
    "user_id",
    "token",
    "status",
    "manual",
    "post_id",
    "presence",
]
ENVELOPE_KEYS = {"id", "message", "detailed_error", "request_id", "status_code"}


class Socket:
    def __init__(self, server: ServerProcess, token: str = "") -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.ws: ClientConnection = connect(
            server.ws_url, additional_headers=headers, open_timeout=10, legacy=True
        )
        self.seq = 0

    def call(self, action: Any, data: Any) -> dict[str, Any]:
        self.seq += 1
        frame = json.dumps({"seq": self.seq, "action": action, "data": data})
        self.ws.send(frame)
        while True:
            message = json.loads(self.ws.recv(timeout=10))
            # Garbage frames sent without a seq are answered with seq_reply 0.
            if message.get("seq_reply"):
                assert message["seq_reply"] == self.seq, (frame[:300], message)
                return message  # type: ignore[no-any-return]

    def close(self) -> None:
        self.ws.close()


def check_reply(reply: dict[str, Any], action: Any, data: Any) -> None:
    where = f"{action!r} {json.dumps(data)[:300]} -> {reply}"
    assert reply["status"] in ("OK", "FAIL"), where
    if reply["status"] == "FAIL":
        error = reply["error"]
        assert set(error) >= ENVELOPE_KEYS and 400 <= error["status_code"] < 500, where


def data_for(ctx_ids: list[str]) -> st.SearchStrategy[Any]:
    value = st.one_of(st.sampled_from(ctx_ids), random_id, st.lists(st.sampled_from(ctx_ids)), json_values)
    objects = st.dictionaries(st.sampled_from(FIELDS), value, max_size=4)
    return st.one_of(objects, objects, objects, json_values)


def test_websocket_actions_survive_junk(server: ServerProcess, world: World) -> None:
    ids = [world.hamlet.id, world.othello.id, world.town_square["id"], world.team["id"]]
    actions = [*websocket_actions(), "", "no_such_action", 7, None]
    socket = Socket(server, world.hamlet.token)
    socket.ws.recv(timeout=10)  # hello
    try:
        for action in actions:
            for wrong in WRONG_FIELD_VALUES:
                for data in ({name: wrong for name in FIELDS}, wrong):
                    check_reply(socket.call(action, data), action, data)

            settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
            )(seed(zlib.crc32(repr(action).encode()))(given(data_for(ids))(_runner(socket, action))))()
        for garbage in ("", "{", "[1, 2]", "null", '{"seq": "x", "action": []}', "x" * 100_000):
            socket.ws.send(garbage)
        socket.ws.send(b"\xff\x00binary")
        assert socket.call("ping", {})["data"]["text"] == "pong"
    finally:
        socket.close()


def _runner(socket: Socket, action: Any) -> Callable[[Any], None]:
    def run(data: Any) -> None:
        check_reply(socket.call(action, data), action, data)

    return run


def test_unauthenticated_websocket_refuses_actions(server: ServerProcess, world: World) -> None:
    socket = Socket(server)
    try:
        for action in websocket_actions():
            if action != "authentication_challenge":
                reply = socket.call(action, {"user_ids": [world.hamlet.id]})
                assert reply["status"] == "FAIL" and reply["error"]["status_code"] == 401, (action, reply)
        for token in ("", "\x00", "x" * 300, 5, None, world.hamlet.id):
            reply = socket.call("authentication_challenge", {"token": token})
            assert reply["status"] == "FAIL" and reply["error"]["status_code"] == 401, (token, reply)
        socket.ws.send(
            json.dumps(
                {"seq": 99, "action": "authentication_challenge", "data": {"token": world.hamlet.token}}
            )
        )
        assert json.loads(socket.ws.recv(timeout=10))["event"] == "hello"
    finally:
        socket.close()
