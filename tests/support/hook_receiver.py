"""An integration's HTTP endpoint in the test process: records each request it gets (path,
headers, raw body) and answers with the JSON set for it, as an outgoing webhook's receiver does."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.client import API


@dataclass(frozen=True)
class Call:
    path: str
    headers: dict[str, str]
    body: bytes


class HookReceiver:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.answer: dict[str, Any] = {}
        self.status = 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.calls.append(
                        Call(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    answer, status = json.dumps(receiver.answer).encode(), receiver.status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def wait_for(self, count: int, timeout: float = 10) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} calls, got {len(self.calls)}")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def allowed_receiver(admin: API) -> Iterator[HookReceiver]:
    """A receiver on 127.0.0.1, which the admin allows outgoing calls to reach meanwhile."""
    setting = {"ServiceSettings": {"AllowedUntrustedInternalConnections": "127.0.0.1"}}
    admin.ok("PUT", "/config/patch", setting)
    receiver = HookReceiver()
    try:
        yield receiver
    finally:
        receiver.close()
        admin.ok("PUT", "/config/patch", {"ServiceSettings": {"AllowedUntrustedInternalConnections": ""}})
