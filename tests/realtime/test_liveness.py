"""WebSocket liveness as Mattermost's server keeps it: a ping frame with an empty payload every
interval, any pong accepted, and a client silent for too long closed. Matterbridge relies on
all three (it reconnects when no ping comes for 65 s, and answers pings with empty pongs)."""

import pytest
from tests.realtime.raw_socket import RawSocket
from tests.support.client import API, create_user
from tests.support.server import ServerProcess
from websockets.frames import Close, Frame, Opcode

from villagepump.api.v4.websocket import AUTHENTICATION_SECONDS, PING_INTERVAL_SECONDS, SILENCE_LIMIT_SECONDS


def _connected(clocked_admin: API) -> RawSocket:
    raw = RawSocket(create_user(clocked_admin, "bridge"))
    assert raw.next_message()["event"] == "hello"
    return raw


def _next_control_frame(raw: RawSocket) -> Frame | None:
    """The next ping or close (events such as status changes may come in between)."""
    while (frame := raw.next_frame()) is not None and frame.opcode is Opcode.TEXT:
        pass
    return frame


def test_the_server_pings_with_an_empty_payload_every_interval(
    clocked_server: ServerProcess, clocked_admin: API
) -> None:
    raw = _connected(clocked_admin)
    clocked_server.advance(PING_INTERVAL_SECONDS - 1)
    # Nothing is due yet: the reply to an action comes before any ping.
    raw.send_action(1, "ping")
    assert raw.reply_to(1)["status"] == "OK"
    clocked_server.advance(1)
    ping = _next_control_frame(raw)
    assert ping is not None and ping.opcode is Opcode.PING and ping.data == b""
    raw.send_pong(b"")
    clocked_server.advance(PING_INTERVAL_SECONDS)
    again = _next_control_frame(raw)
    assert again is not None and again.opcode is Opcode.PING and again.data == b""
    raw.close()


@pytest.mark.parametrize("pong", [b"", b"not what the ping carried"])
def test_a_client_that_answers_pings_with_any_pong_stays_connected(
    clocked_server: ServerProcess, clocked_admin: API, pong: bytes
) -> None:
    raw = _connected(clocked_admin)
    intervals = int(SILENCE_LIMIT_SECONDS // PING_INTERVAL_SECONDS) + 3
    for _ in range(intervals):
        clocked_server.advance(PING_INTERVAL_SECONDS)
        # Still connected: the server pings rather than closing.
        ping = _next_control_frame(raw)
        assert ping is not None and ping.opcode is Opcode.PING, ping
        raw.send_pong(pong)
    raw.close()


def test_a_silent_client_is_closed_after_the_silence_limit(
    clocked_server: ServerProcess, clocked_admin: API
) -> None:
    raw = _connected(clocked_admin)
    silent_for = 0.0
    while silent_for + PING_INTERVAL_SECONDS < SILENCE_LIMIT_SECONDS:
        clocked_server.advance(PING_INTERVAL_SECONDS)
        silent_for += PING_INTERVAL_SECONDS
        ping = _next_control_frame(raw)
        assert ping is not None and ping.opcode is Opcode.PING, f"closed after only {silent_for}s"
    raw.ignore_automatic_replies()
    clocked_server.advance(PING_INTERVAL_SECONDS)
    closing = _next_control_frame(raw)
    assert closing is None or closing.opcode is Opcode.CLOSE, closing
    assert _next_control_frame(raw) is None


def test_a_socket_that_does_not_authenticate_in_time_is_closed(
    clocked_server: ServerProcess, clocked_admin: API
) -> None:
    raw = RawSocket(clocked_admin, authenticate=False)
    clocked_server.advance(AUTHENTICATION_SECONDS - 1)
    raw.send_action(1, "ping")
    assert raw.reply_to(1)["status"] == "FAIL"
    clocked_server.advance(1)
    closing = _next_control_frame(raw)
    assert closing is not None and closing.opcode is Opcode.CLOSE, closing
    assert Close.parse(bytes(closing.data)).code == 1008
