"""A small HTTP receiver in the test process that records every delivery sent to it.

What it answers depends on the path, so one receiver serves many scenarios:
  /ok                 200
  /fail/N             500 to the first N attempts of each delivery, then 200
  /status/S           always S
  /retry-after/S      503 with Retry-After: S
  /hold/S             holds the request until `release()`, then answers S
  /hold-after/N       200 to the first N deliveries, holds the rest until `release()`, then 200
  /gather/N           holds each request until N are held at once, then answers them all 200
                      (one that waits in vain for 10 s is answered and counted in gather_timeouts)
"""

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Long enough for any test; a held request is always released before then.
_HOLD_LIMIT_SECONDS = 60


@dataclass(frozen=True)
class Delivery:
    delivery_id: str
    path: str
    body: Any
    arrived: float  # time.monotonic()


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 refuses connections in a burst of deliveries.
    request_queue_size = 128


class Receiver:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.held: set[str] = set()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._gathering = threading.Condition()
        self._gathered = 0  # groups completed
        self._waiting = 0
        self.gather_timeouts = 0
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def release(self) -> None:
        """Held requests are answered, and later ones are no longer held."""
        self._released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def received(self, delivery_id: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.delivery_id == delivery_id]

    def counts(self, path: str) -> Counter[str]:
        with self._lock:
            return Counter(d.delivery_id for d in self.deliveries if d.path == path)

    def holding(self) -> set[str]:
        with self._lock:
            return set(self.held)

    def _answer(self, path: str, delivery_id: str) -> tuple[int, dict[str, str]]:
        parts = path.strip("/").split("/")
        with self._lock:
            attempts = sum(1 for d in self.deliveries if d.delivery_id == delivery_id)
            distinct = len({d.delivery_id for d in self.deliveries if d.path == path})
        match parts:
            case ["fail", count]:
                return (500 if attempts <= int(count) else 200), {}
            case ["status", status]:
                return int(status), {}
            case ["retry-after", seconds]:
                return 503, {"Retry-After": seconds}
            case ["gather", count]:
                self._gather(int(count))
                return 200, {}
            case ["hold", status]:
                self._hold(delivery_id)
                return int(status), {}
            case ["hold-after", count]:
                first_time = attempts == 1
                if first_time and distinct > int(count):
                    self._hold(delivery_id)
                return 200, {}
        return 200, {}

    def reply_body(self, path: str, body: Any) -> bytes:
        """The answer's body; a subclass that stands in for a service answers what it would."""
        return b""

    def _gather(self, count: int) -> None:
        with self._gathering:
            group = self._gathered
            self._waiting += 1
            if self._waiting == count:
                self._gathered += 1
                self._waiting = 0
                self._gathering.notify_all()
            elif not self._gathering.wait_for(lambda: self._gathered != group, timeout=10):
                self._waiting -= 1
                self.gather_timeouts += 1

    def _hold(self, delivery_id: str) -> None:
        with self._lock:
            self.held.add(delivery_id)
        self._released.wait(_HOLD_LIMIT_SECONDS)
        with self._lock:
            self.held.discard(delivery_id)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as most receivers

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
                delivery_id = self.headers.get("Idempotency-Key", "")
                with receiver._lock:
                    receiver.deliveries.append(Delivery(delivery_id, self.path, body, time.monotonic()))
                status, headers = receiver._answer(self.path, delivery_id)
                reply = receiver.reply_body(self.path, body)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:
                    pass  # the sender is gone (killed while we held its request)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def wait_until(condition: Any, timeout: float = 20, what: str = "the condition") -> Any:
    """Polls `condition` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
