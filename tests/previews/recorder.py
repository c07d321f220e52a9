"""A small HTTP server on a loopback address that records every request it gets and answers by
path, for the link preview tests:

  /page            an HTML page with OpenGraph tags (its og:image is /image.png)
  /plain           an HTML page with only a <title>
  /image.png       a 40x30 PNG          /anim.gif   a 3-frame GIF    /rotated.jpg  EXIF turned
  /disguised       a PNG said to be HTML                   /big.png    a 240x240 PNG of noise
  /drawing.svg     an SVG with a script
  /redirect/N      N more redirects, then /page      /to?u=URL    302 to URL
  /huge            an endless HTML page (2 MB, its title at the very end)
  /slow            headers at once, then one byte a second
  /json            application/json     /status/S   that status
"""

import io
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG")
    return out.getvalue()


def gif(frames: int = 3) -> bytes:
    out = io.BytesIO()
    images = [Image.new("RGB", (16, 8), (i * 80, 0, 255 - i * 80)) for i in range(frames)]
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def noise_png(side: int = 240) -> bytes:
    """A PNG that does not compress: about 170 KB."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(side).randbytes(side * side * 3)).save(out, "PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>'


def rotated_jpeg() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # turned a quarter clockwise: 60x20 stored, 20x60 shown
    Image.new("RGB", (60, 20), "red").save(out, "JPEG", exif=exif)
    return out.getvalue()


PAGE = """<!doctype html><html><head>
<meta charset="utf-8">
<title>Not this title</title>
<meta property="og:title" content="Elsinore &amp; its ramparts">
<meta property="og:description" content="Something is rotten &#8212; in the state of Denmark">
<meta property="og:type" content="website">
<meta property="og:url" content="https://elsinore.example/canonical">
<meta property="og:site_name" content="Elsinore">
<meta property="og:image" content="/image.png">
<meta property="og:image:width" content="40">
</head><body><p>The rest of the play.</p></body></html>"""

PLAIN = "<html><head><title>  Just   a title </title></head><body>hello</body></html>"


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


class Recorder:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server_class = type("_Server", (ThreadingHTTPServer,), {"address_family": _family(host)})
        self._server = server_class((host, 0), self._handler())
        self._server.daemon_threads = True
        self.host = host
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str, host: str = "") -> str:
        shown = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"http://{shown}:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        with self._lock:
            return [seen.path for seen in self.requests]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with recorder._lock:
                    recorder.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                recorder._answer(self)

        return Handler

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path, _, query = handler.path.partition("?")
        if path == "/page":
            self._send(handler, 200, "text/html; charset=utf-8", PAGE.encode())
        elif path == "/plain":
            self._send(handler, 200, "text/html", PLAIN.encode())
        elif path == "/image.png":
            self._send(handler, 200, "image/png", png())
        elif path == "/anim.gif":
            self._send(handler, 200, "image/gif", gif())
        elif path == "/disguised":
            self._send(handler, 200, "text/html", png())
        elif path == "/big.png":
            self._send(handler, 200, "image/png", noise_png())
        elif path == "/drawing.svg":
            self._send(handler, 200, "image/svg+xml", SVG)
        elif path == "/rotated.jpg":
            self._send(handler, 200, "image/jpeg", rotated_jpeg())
        elif path == "/json":
            self._send(handler, 200, "application/json", b'{"title": "not html"}')
        elif path.startswith("/status/"):
            self._send(handler, int(path.rsplit("/", 1)[1]), "text/html", b"<title>error page</title>")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(handler, f"/redirect/{left - 1}" if left > 1 else "/page")
        elif path == "/to":
            self._redirect(handler, urllib.parse.parse_qs(query)["u"][0])
        elif path == "/huge":
            self._huge(handler)
        elif path == "/slow":
            self._slow(handler)
        else:
            self._send(handler, 404, "text/plain", b"no")

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Set-Cookie", "session=kept-by-nobody; Path=/")
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _redirect(handler: BaseHTTPRequestHandler, location: str) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    @staticmethod
    def _huge(handler: BaseHTTPRequestHandler) -> None:
        filler = b"<!-- " + b"x" * 1018 + b" -->\n"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            handler.wfile.write(b"<html><head><meta property='og:type' content='article'>")
            for _ in range(2048):
                handler.wfile.write(filler)
            handler.wfile.write(b"<title>only past two megabytes</title></head></html>")
        except OSError:
            pass  # the reader stopped early, as it should

    @staticmethod
    def _slow(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(30):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(1)
        except OSError:
            pass


def _family(host: str) -> int:
    import socket

    return socket.AF_INET6 if ":" in host else socket.AF_INET
