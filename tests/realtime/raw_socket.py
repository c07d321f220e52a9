"""A WebSocket client that does only what the test says: unlike every client library, it does
not answer the server's pings by itself, so a test can be a silent or a strange client."""

import json
import socket
import time
from collections import deque
from typing import Any

from tests.support.client import API
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri


class RawSocket:
    def __init__(self, api: API, authenticate: bool = True) -> None:
        uri = parse_uri(api.base_url.replace("http://", "ws://") + "/api/v4/websocket")
        self.protocol = ClientProtocol(uri)
        self.sock = socket.create_connection((uri.host, uri.port), timeout=10)
        self.frames: deque[Frame] = deque()
        self.eof = False
        request = self.protocol.connect()
        if authenticate:
            request.headers["Authorization"] = f"Bearer {api.token}"
        self.protocol.send_request(request)
        self._write(self.protocol.data_to_send())
        deadline = time.monotonic() + 10
        while self.protocol.state is State.CONNECTING:
            assert time.monotonic() < deadline and not self.eof, "no handshake response"
            self._read(deadline - time.monotonic())
        self.ignore_automatic_replies()

    def next_frame(self, timeout: float = 5) -> Frame | None:
        """The next frame from the server, or None once the connection has ended."""
        deadline = time.monotonic() + timeout
        while not self.frames:
            if self.eof:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no frame within {timeout}s")
            self._read(remaining)
        return self.frames.popleft()

    def next_message(self, timeout: float = 5) -> dict[str, Any]:
        frame = self.next_frame(timeout)
        assert frame is not None and frame.opcode is Opcode.TEXT, frame
        return json.loads(frame.data)  # type: ignore[no-any-return]

    def send_action(self, seq: int, action: str) -> None:
        self.ignore_automatic_replies()
        self.protocol.send_text(json.dumps({"seq": seq, "action": action, "data": {}}).encode())
        self._write(self.protocol.data_to_send())

    def reply_to(self, seq: int) -> dict[str, Any]:
        """The reply to action `seq`; only events may come before it, no other kind of frame."""
        while True:
            message = self.next_message()
            if message.get("seq_reply") == seq:
                return message
            assert "event" in message, message

    def ignore_automatic_replies(self) -> None:
        """Drops what the protocol queued on its own (the echo of each ping, a close reply)."""
        self.protocol.data_to_send()

    def send_pong(self, payload: bytes) -> None:
        self.ignore_automatic_replies()
        self.protocol.send_pong(payload)
        self._write(self.protocol.data_to_send())

    def close(self) -> None:
        self.sock.close()

    def _read(self, timeout: float) -> None:
        self.sock.settimeout(max(timeout, 0.01))
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return
        except ConnectionError:
            data = b""
        if data:
            self.protocol.receive_data(data)
        else:
            self.eof = True
            self.protocol.receive_eof()
        for event in self.protocol.events_received():
            if isinstance(event, Frame):
                self.frames.append(event)
            elif isinstance(event, Response):
                assert event.status_code == 101, event

    def _write(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            if chunk:
                self.sock.sendall(chunk)
