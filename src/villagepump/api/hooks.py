"""POST /hooks/{id}: a message from an integration, as Mattermost's incoming webhooks take it
(JSON, or Slack's form with a `payload` field), answered with a plain "ok"."""

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from villagepump.actions import webhooks as webhook_actions
from villagepump.api.http import runtime
from villagepump.integrations.incoming import decode_body, parse_error


async def _bounded_body(request: Request, limit: int) -> bytes:
    """The body, read no further than `limit`: a huge payload is refused without being held."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise parse_error(f"the payload is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise parse_error(f"the payload is larger than {limit} bytes")
    return bytes(body)


async def incoming_webhook(request: Request) -> Response:
    rt = runtime(request)
    body = await _bounded_body(request, max(rt.settings.max_payload_bytes, 1))
    hook_request = decode_body(request.headers.get("content-type", ""), body)
    await webhook_actions.execute_incoming(rt, request.path_params["hook_id"], hook_request)
    # Slack's clients read the answer as text; Mattermost sends exactly this.
    return PlainTextResponse("ok")
