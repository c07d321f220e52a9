"""A response's head and body leave in one write (api/http_protocol.py)."""

import asyncio
import socket

from villagepump.api.http_protocol import HeadHoldingTransport

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: application/json\r\n\r\n"


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"extra {name}"


def test_the_head_waits_for_the_body_and_both_go_out_in_one_write() -> None:
    async def scenario() -> list[bytes]:
        real = RecordingTransport()
        transport = HeadHoldingTransport(real)  # type: ignore[arg-type]
        transport.write(HEAD)
        assert real.writes == []
        transport.write(b"{}")
        await asyncio.sleep(0)
        return real.writes

    assert asyncio.run(scenario()) == [HEAD + b"{}"]


def test_a_head_whose_body_is_late_goes_out_on_the_next_turn() -> None:
    async def scenario() -> list[bytes]:
        real = RecordingTransport()
        transport = HeadHoldingTransport(real)  # type: ignore[arg-type]
        transport.write(HEAD)
        await asyncio.sleep(0)
        transport.write(b"{}")
        return real.writes

    assert asyncio.run(scenario()) == [HEAD, b"{}"]


def test_interim_responses_and_other_bytes_are_not_held() -> None:
    async def scenario() -> list[bytes]:
        real = RecordingTransport()
        transport = HeadHoldingTransport(real)  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        transport.write(b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n")
        transport.write(b"\x81\x02{}")  # a WebSocket frame after the upgrade
        return real.writes

    assert asyncio.run(scenario()) == [
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n",
        b"\x81\x02{}",
    ]


def test_closing_sends_a_held_head_first() -> None:
    async def scenario() -> RecordingTransport:
        real = RecordingTransport()
        transport = HeadHoldingTransport(real)  # type: ignore[arg-type]
        transport.write(HEAD)
        transport.close()
        await asyncio.sleep(0)
        return real

    real = asyncio.run(scenario())
    assert real.writes == [HEAD]
    assert real.closed


def test_everything_else_is_the_real_transports() -> None:
    transport = HeadHoldingTransport(RecordingTransport())  # type: ignore[arg-type]
    assert transport.get_extra_info("peername") == "extra peername"


def test_the_server_answers_each_request_on_a_kept_alive_connection(server) -> None:
    # Through the real server, whose transport is wrapped: a whole response each time, and the
    # connection stays usable for the next request.
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        for _ in range(2):
            sock.sendall(b"GET /api/v4/system/ping HTTP/1.1\r\nhost: x\r\n\r\n")
            received = b""
            while b"\r\n\r\n" not in received:
                received += sock.recv(65536)
            head, _, body = received.partition(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = int(
                next(line.split(b":")[1] for line in lines if line.lower().startswith(b"content-length"))
            )
            while len(body) < length:
                body += sock.recv(65536)
            assert head.startswith(b"HTTP/1.1 200")
            assert b'"status":"OK"' in body.replace(b" ", b"")
