"""uvicorn's WebSocket protocol with two additions the ASGI interface lacks: sending a ping frame,
and noticing that the client has sent anything at all (pongs included).

ASGI has no ping message, and uvicorn's own keepalive expects each pong to echo its ping's
payload, which Matterbridge's client does not do (it answers every ping with an empty pong), so
the server's keepalive is ours (`api/v4/websocket.py`), through the `Liveness` this protocol
puts in the connection's scope (`liveness_of`).
"""

from collections.abc import Mapping
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request

LIVENESS = "villagepump.liveness"
_CLOSE_GOING_AWAY = 1001


class Liveness:
    """What the WebSocket endpoint may do below ASGI on its own connection."""

    def __init__(self, protocol: "LivenessProtocol") -> None:
        self._protocol = protocol
        # Bytes received from the client so far; it is alive while this grows.
        self.bytes_heard = 0

    def ping(self) -> None:
        """Sends a ping frame with an empty payload, as Mattermost's server does."""
        self._protocol.send_ping()

    def drop(self) -> None:
        """Closes a connection whose client has gone silent, without waiting for its answer."""
        self._protocol.drop()


def liveness_of(scope: Mapping[str, Any]) -> Liveness | None:
    """The connection's `Liveness`, or None under a server that is not run with this protocol."""
    extension = (scope.get("extensions") or {}).get(LIVENESS)
    liveness = extension.get("liveness") if isinstance(extension, dict) else None
    return liveness if isinstance(liveness, Liveness) else None


class LivenessProtocol(WebSocketsSansIOProtocol):
    """Pass as uvicorn's `ws` protocol class, with uvicorn's `ws_ping_interval=None`."""

    liveness: Liveness | None = None

    def handle_connect(self, event: Request) -> None:
        # The ASGI task is created here but has not run yet, so the scope can still gain a key.
        self.liveness = Liveness(self)
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:
            scope.setdefault("extensions", {})[LIVENESS] = {"liveness": self.liveness}

    def data_received(self, data: bytes) -> None:
        if self.liveness is not None:
            self.liveness.bytes_heard += len(data)
        super().data_received(data)

    def send_ping(self) -> None:
        if not self.handshake_complete or self.close_sent or self.transport.is_closing():
            return
        try:
            self.conn.send_ping(b"")
        except InvalidState:
            return
        self.transport.write(b"".join(self.conn.data_to_send()))

    def drop(self) -> None:
        if not self.close_sent and not self.transport.is_closing():
            try:
                self.conn.send_close(_CLOSE_GOING_AWAY, "no sign of life")
                self.transport.write(b"".join(self.conn.data_to_send()))
            except InvalidState:
                pass
            self.close_sent = True
        # A dead peer would never drain the buffer that a graceful close waits for.
        self.transport.abort()
