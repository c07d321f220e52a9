"""uvicorn's HTTP protocol, sending each response's head and body in one write.

uvicorn writes a response's head as soon as the application starts the response, and its body
with the next message: two writes, so two segments on the wire and two wake-ups of the client.
On loopback a write is mostly the kernel delivering the segment, and in a profile of the load
test's requests (bench/request_cost.py) the two writes were a quarter of the server's samples,
the head's write twice the body's (bench/README.md). Holding the head until the body comes
saves one write, the client's second wake-up and its second read.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_STATUS_LINE = b"HTTP/1.1 "
_INTERIM = b"HTTP/1.1 1"  # 100 Continue and 101 Switching Protocols go out at once
_END_OF_HEAD = b"\r\n\r\n"


class HeadHoldingTransport:
    """The connection's transport, holding a final response's head until the next write.

    The body normally follows in the same turn of the event loop (the application sends its
    start and body messages without waiting between them). A streamed body may take longer,
    so a held head also goes out on the loop's next turn, and before the connection closes.
    """

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held = b""

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._held:
            data, self._held = self._held + bytes(data), b""
        elif _is_final_head(data):
            self._held = bytes(data)
            asyncio.get_running_loop().call_soon(self.flush)
            return
        self._transport.write(data)

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, b""
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held)

    def __getattr__(self, name: str) -> Any:
        # Everything else (reading flow control, extra info, set_protocol on an upgrade) is the
        # real transport's.
        return getattr(self._transport, name)


def _is_final_head(data: bytes | bytearray | memoryview) -> bool:
    head = bytes(data[:10])
    return (
        head.startswith(_STATUS_LINE) and not head.startswith(_INTERIM) and bytes(data[-4:]) == _END_OF_HEAD
    )


class OneWriteHttpProtocol(HttpToolsProtocol):
    """Pass as uvicorn's `http` protocol class."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(HeadHoldingTransport(transport))  # type: ignore[arg-type]
