"""A real HTTP server on loopback that plays an integration (a slash command's URL, a button's
integration, a dialog's URL): it records each request and answers as the test told it to."""

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        """The query of a GET, the form-encoded body of a POST, one value per field."""
        raw = urllib.parse.urlsplit(self.path).query if self.method == "GET" else self.body.decode()
        return {key: values[0] for key, values in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Answer:
    status: int = 200
    content_type: str = "application/json"
    body: bytes = b""
    delay: float = 0.0


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._answers: dict[str, Answer] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, path: str, reply: Any = None, **how: Any) -> None:
        """What `path` answers: `reply` as JSON (or bytes as they are), with `how` (Answer's fields)."""
        body = reply if isinstance(reply, bytes) else (b"" if reply is None else json.dumps(reply).encode())
        with self._lock:
            self._answers[path] = Answer(body=body, **how)

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if urllib.parse.urlsplit(s.path).path == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._take()

            def do_POST(self) -> None:
                self._take()

            def _take(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                path = urllib.parse.urlsplit(self.path).path
                with receiver._lock:
                    receiver.requests.append(Seen(self.command, self.path, headers, body))
                    answer = receiver._answers.get(path, Answer(404, "text/plain", b"no"))
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server gave up waiting, as it should

        return Handler
