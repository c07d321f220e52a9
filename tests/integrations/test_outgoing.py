"""integrations/outgoing.post_checked: an integration's call reaches only public or allowed
addresses, sends Mattermost's form or JSON, follows no redirect and says whether to retry."""

import asyncio
import ipaddress
import json
import threading
import urllib.parse
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from villagepump.integrations.outgoing import FORM, JSON, Answer, CallFailed, form_body, post_checked
from villagepump.previews.addresses import AllowList, IPAddress

LOCAL = AllowList.parse("127.0.0.1")


class _Endpoint:
    """Answers each POST by its path: /json (200 with JSON), /empty (200, no body),
    /status/N, /redirect (302 to /json); records what came."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, bytes]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                endpoint.received.append((self.path, self.headers.get("Content-Type", ""), body))
                if self.path.startswith("/status/"):
                    self.send_response(int(self.path.rsplit("/", 1)[1]))
                    self.end_headers()
                elif self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/json")
                    self.end_headers()
                else:
                    answer = b'{"text": "pong"}' if self.path == "/json" else b""
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def endpoint() -> Iterator[_Endpoint]:
    served = _Endpoint()
    yield served
    served.server.shutdown()
    served.server.server_close()


def call(
    url: str, fields: dict[str, Any], content_type: str = FORM, allowed: AllowList = LOCAL, **kwargs: Any
) -> Answer:
    return asyncio.run(
        post_checked(url, fields, content_type=content_type, allowed=allowed, timeout_seconds=5, **kwargs)
    )


def test_a_form_goes_with_mattermosts_encoding_and_a_json_answer_is_read(endpoint: _Endpoint) -> None:
    answer = call(
        endpoint.url("/json"), {"token": "t", "text": "hi there", "file_ids": ["a", "b"], "timestamp": 12}
    )
    assert answer.status == 200 and answer.json_object() == {"text": "pong"}
    path, content_type, body = endpoint.received[0]
    assert content_type == FORM
    assert urllib.parse.parse_qs(body.decode()) == {
        "token": ["t"], "text": ["hi there"], "file_ids": ["a,b"], "timestamp": ["12"],
    }  # fmt: skip
    assert form_body({"file_ids": []}) == b"file_ids="


def test_json_goes_as_json_and_an_empty_answer_is_no_message(endpoint: _Endpoint) -> None:
    answer = call(endpoint.url("/empty"), {"file_ids": [], "timestamp": 12}, content_type=JSON)
    assert answer.json_object() == {}
    assert json.loads(endpoint.received[0][2]) == {"file_ids": [], "timestamp": 12}


@pytest.mark.parametrize(
    ("status", "permanent"), [(500, False), (503, False), (429, False), (404, True), (400, True)]
)
def test_failures_say_whether_another_attempt_could_help(
    endpoint: _Endpoint, status: int, permanent: bool
) -> None:
    with pytest.raises(CallFailed) as failed:
        call(endpoint.url(f"/status/{status}"), {})
    assert failed.value.permanent is permanent and str(status) in failed.value.message


def test_a_redirect_is_not_followed(endpoint: _Endpoint) -> None:
    with pytest.raises(CallFailed) as failed:
        call(endpoint.url("/redirect"), {})
    assert failed.value.permanent
    assert [path for path, _, _ in endpoint.received] == ["/redirect"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x", "http://[::1]/x", "http://localhost/x", "http://0x7f.1/x"]
)
def test_private_addresses_are_refused_without_a_connection(url: str) -> None:
    with pytest.raises(CallFailed) as failed:
        call(url, {}, allowed=AllowList.parse(""))
    assert failed.value.permanent


def test_a_name_that_resolves_to_a_private_address_is_refused() -> None:
    async def rebinding(host: str, port: int) -> Sequence[IPAddress]:
        return [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.0.0.7")]

    with pytest.raises(CallFailed) as failed:
        call("https://receiver.example.org/hook", {}, allowed=AllowList.parse(""), resolver=rebinding)
    assert failed.value.permanent and "10.0.0.7" in failed.value.message


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http://user:pw@example.org/x", "not a url"])
def test_only_plain_http_urls_are_called(url: str) -> None:
    with pytest.raises(CallFailed) as failed:
        call(url, {})
    assert failed.value.permanent
