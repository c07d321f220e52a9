"""Calls from this server to an integration's URL: outgoing webhooks (through the outbox),
custom slash commands, message buttons and dialogs (while the user waits, as in Mattermost).

Every call goes through previews/fetch.send, checked as link previews are: http or https only,
every address the host resolves to public or allowed by AllowedUntrustedInternalConnections, the
connection pinned to the checked address (so DNS rebinding cannot move it), no redirect followed
(a redirect could lead past the check), one deadline for the whole call, and at most `max_bytes`
of the answer read. None of it blocks the event loop.
"""

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from villagepump import __version__
from villagepump.previews import fetch
from villagepump.previews.addresses import AllowList
from villagepump.previews.fetch import Policy, Resolver
from villagepump.previews.urls import FetchFailed, parse_target

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER_AGENT = f"Villagepump/{__version__}"
# Statuses worth another attempt: the receiver is overloaded, restarting or asks us to wait.
_RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


class CallFailed(Exception):
    """The call did not get a usable answer; `permanent` when another attempt cannot help (a
    refused address, a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str  # the media type, lower case, without parameters
    body: bytes

    def json_object(self) -> dict[str, Any]:
        """The answer's JSON object; {} when it sent none, or something else."""
        if not self.body.strip():
            return {}
        try:
            value = orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Outgoing:
    allowed: AllowList
    timeout_seconds: float
    max_bytes: int = 1024 * 1024


def check_url(url: str) -> str:
    """The URL normalised, if it is an http(s) URL a request could be made to; raises CallFailed."""
    try:
        return parse_target(url).url
    except FetchFailed as error:
        raise CallFailed(str(error), permanent=True) from None


def form_body(fields: Mapping[str, Any]) -> bytes:
    """Mattermost's form encoding: lists (file_ids) joined by commas, everything else as text."""
    pairs = [
        (key, ",".join(value) if isinstance(value, list) else str(value)) for key, value in fields.items()
    ]
    return urllib.parse.urlencode(pairs).encode()


async def call(
    url: str,
    how: Outgoing,
    *,
    method: str = "POST",
    form: Mapping[str, Any] | None = None,
    json_body: bytes | None = None,
    resolver: Resolver | None = None,
) -> Answer:
    """GET with `form` in the query, POST `form` form-encoded, or POST `json_body` as JSON; the
    answer whatever its status. Raises CallFailed when there is none, or it is too large."""
    check_url(url)
    body = b""
    headers = [("Accept", "application/json")]
    if json_body is not None:
        body = json_body
        headers.append(("Content-Type", JSON))
    elif method == "GET":
        if form:
            url += ("&" if "?" in url else "?") + form_body(form).decode()
    else:
        body = form_body(form or {})
        headers.append(("Content-Type", FORM))
    policy = Policy(allowed=how.allowed, user_agent=USER_AGENT, timeout_seconds=how.timeout_seconds)
    try:
        answer = await fetch.send(method, url, body, headers, policy, resolver, how.max_bytes)
    except FetchFailed as error:
        # A refused address stays refused until an admin allows it; a failed lookup may pass.
        raise CallFailed(str(error), permanent="not a public address" in str(error)) from None
    if answer.truncated:
        raise CallFailed(f"the answer is larger than {how.max_bytes} bytes", permanent=True)
    return Answer(answer.status, answer.content_type, answer.body)


async def post_checked(
    url: str,
    fields: Mapping[str, Any],
    *,
    content_type: str,
    allowed: AllowList,
    timeout_seconds: float,
    max_answer_bytes: int = 1024 * 1024,
    resolver: Resolver | None = None,
) -> Answer:
    """POSTs `fields` (as JSON when content_type is application/json, else as a form) to `url`;
    raises CallFailed unless the answer is a 2xx."""
    how = Outgoing(allowed, timeout_seconds, max_answer_bytes)
    if content_type == JSON:
        answer = await call(url, how, json_body=orjson.dumps(dict(fields)), resolver=resolver)
    else:
        answer = await call(url, how, form=fields, resolver=resolver)
    if not 200 <= answer.status < 300:
        raise CallFailed(f"HTTP {answer.status}", permanent=answer.status not in _RETRYABLE)
    return answer
