"""A real OpenID provider for the sign-in tests (npm `oidc-provider`, tests/js/oidc_provider.mjs),
and a person's browser going through a sign-in with it."""

import html
import re
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.server import free_port

JS_DIR = Path(__file__).resolve().parent.parent / "js"


@dataclass
class OpenIdProvider:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def discovery_endpoint(self) -> str:
        return self.url + "/.well-known/openid-configuration"

    def register_client(self, redirect_uri: str) -> tuple[str, str]:
        """A new confidential client for this redirect URI: (client id, secret)."""
        response = httpx.post(
            self.url + "/reg",
            json={
                "redirect_uris": [redirect_uri],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            },
            timeout=10,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return body["client_id"], body["client_secret"]


@contextmanager
def running_openid_provider() -> Iterator[OpenIdProvider]:
    port = free_port()
    process = subprocess.Popen(
        ["node", str(JS_DIR / "oidc_provider.mjs"), str(port)],
        cwd=JS_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline().decode()
            seen.append(line)
            if line.strip() == "ready":
                break
            if not line and process.poll() is not None:
                # Most often: tests/js/node_modules predates oidc-provider (`make dev` installs it).
                raise RuntimeError("oidc-provider exited before it was ready:\n" + "".join(seen))
        else:
            raise RuntimeError("oidc-provider did not start:\n" + "".join(seen))
        yield OpenIdProvider(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def account(name: str, *, domain: str = "example.org", verified: bool = True) -> str:
    """The login name that signs in, at tests/js/oidc_provider.mjs, as `name`@`domain`."""
    return f"{name}~{domain}~{'verified' if verified else 'unverified'}"


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_INPUT = re.compile(r"<input([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def sign_in_at_provider(browser: httpx.Client, start: httpx.Response, login: str, stop_at: str) -> str:
    """From the server's redirect to the provider, what a person does there (the login form,
    then any form to confirm), until the provider sends them to an address starting with
    `stop_at`; returns that address without following it."""
    response = start
    for _ in range(20):
        if response.status_code in (301, 302, 303, 307, 308):
            location = urllib.parse.urljoin(str(response.url), response.headers["location"])
            if location.startswith(stop_at):
                return location
            response = browser.get(location)
            continue
        assert response.status_code == 200, f"{response.status_code} {response.text[:500]}"
        found = _FORM.search(response.text)
        assert found is not None, response.text[:500]
        action, inner = found.groups()
        fields: dict[str, Any] = {}
        for attributes in _INPUT.findall(inner):
            attrs = dict(_ATTR.findall(attributes))
            if "name" in attrs:
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
        if "login" in fields:
            fields["login"], fields["password"] = login, "any"
        response = browser.post(urllib.parse.urljoin(str(response.url), html.unescape(action)), data=fields)
    raise AssertionError("the provider never sent the browser back")
