"""Calls from this server to an integration's URL (outgoing webhooks; slash commands may use it too).

`post_checked` POSTs fields as a form (Mattermost's default for outgoing webhooks) or as JSON to
a URL checked as link previews check theirs (previews/fetch.py): http or https only, every
address the host resolves to public or allowed by AllowedUntrustedInternalConnections, and the
connection pinned to the checked address, so DNS rebinding cannot move it. No redirect is
followed (a redirect could lead to a private address), the answer is read up to a limit, and the
whole call runs under one deadline. The answer's JSON object, if it sent one, is returned.
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
# Statuses worth another attempt: the receiver is overloaded, restarting or asks us to wait.
_RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


class CallFailed(Exception):
    """The call did not get a 2xx answer; `permanent` when another attempt cannot help (a refused
    address, a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Answer:
    status: int
    # The answer's JSON object; {} when it sent none, or something else.
    body: dict[str, Any]


def form_body(fields: Mapping[str, Any]) -> bytes:
    """Mattermost's form encoding: lists (file_ids) joined by commas, everything else as text."""
    pairs = [
        (key, ",".join(value) if isinstance(value, list) else str(value)) for key, value in fields.items()
    ]
    return urllib.parse.urlencode(pairs).encode()


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
    body = orjson.dumps(dict(fields)) if content_type == JSON else form_body(fields)
    policy = Policy(allowed=allowed, user_agent=f"Villagepump/{__version__}", timeout_seconds=timeout_seconds)
    headers = [("Content-Type", content_type), ("Accept", "application/json")]
    try:
        parse_target(url)
    except FetchFailed as error:
        raise CallFailed(str(error), permanent=True) from None
    try:
        answer = await fetch.post(url, body, headers, policy, resolver, max_answer_bytes)
    except FetchFailed as error:
        # A refused address stays refused until an admin allows it; a failed lookup may pass.
        raise CallFailed(str(error), permanent="not a public address" in str(error)) from None
    if not 200 <= answer.status < 300:
        raise CallFailed(f"HTTP {answer.status}", permanent=answer.status not in _RETRYABLE)
    return Answer(answer.status, _object(answer.body))


def _object(answer: bytes) -> dict[str, Any]:
    if not answer.strip():
        return {}
    try:
        value = orjson.loads(answer)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
