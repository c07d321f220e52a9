"""The http_post outbox kind: a JSON body POSTed to a URL, with the item's id as idempotency key.

Payload: {"url": "https://...", "body": <any JSON>}. An attempt whose answer was lost (the
process was killed after sending) is repeated with the same Idempotency-Key, so a receiver that
remembers the keys it has seen can drop the repeat.
"""

import email.utils

import httpx
import orjson

from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.store import Row

# Answers that another attempt could change: timeouts, conflicts of the moment, rate limits.
_RETRYABLE_CLIENT_ERRORS = {408, 409, 425, 429}


async def deliver_http_post(ctx: DeliveryContext, item: Row) -> None:
    payload = item["payload"]
    headers = {"Content-Type": "application/json", "Idempotency-Key": item["id"]}
    try:
        # Streamed and never read: a receiver's answer body is not ours to hold in memory.
        async with ctx.http.stream(
            "POST", payload["url"], content=orjson.dumps(payload.get("body")), headers=headers
        ) as response:
            status = response.status_code
            retry_after = _retry_after(response.headers.get("Retry-After", ""), ctx.clock.time())
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}", permanent=True) from error
    except httpx.HTTPError as error:
        raise DeliveryError(f"{type(error).__name__}: {error}".rstrip(": ")) from error
    if 200 <= status < 300:
        return
    permanent = 400 <= status < 500 and status not in _RETRYABLE_CLIENT_ERRORS
    raise DeliveryError(f"HTTP {status}", permanent=permanent, retry_after=retry_after)


def _retry_after(value: str, now: float) -> float | None:
    """RFC 9110 Retry-After: a number of seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - now, 0.0)
