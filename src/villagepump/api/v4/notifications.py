"""The mobile app's receipt for a push (POST /notifications/ack), and browsers' Web Push
subscriptions, which Mattermost does not have: /villagepump/webpush."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import notifications as notification_actions
from villagepump.actions import webpush as webpush_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, ok_response, read_object, runtime
from villagepump.notifications import webpush


def _parse_error() -> errors.APIError:
    return errors.bad_request(
        "api.push_notifications_ack.message.parse.app_error",
        "An error occurred building the push notification ack message.",
    )


async def acknowledge(request: Request) -> Response:
    caller = await require_caller(request)
    try:
        body = await read_object(request)
    except errors.APIError as error:
        raise _parse_error() from error
    fields: dict[str, Any] = {
        "id": body.get("id", ""),
        "post_id": body.get("post_id", ""),
        "type": body.get("type", ""),
        "is_id_loaded": body.get("is_id_loaded", False),
    }
    if not all(isinstance(fields[name], str) for name in ("id", "post_id", "type")):
        raise _parse_error()
    if not isinstance(fields["is_id_loaded"], bool):
        raise _parse_error()
    # Mattermost returns the message only for an id-loaded `message` push that names its post.
    wants_message = fields["is_id_loaded"] and fields["type"] in ("message", "")
    message = await notification_actions.acknowledge(
        runtime(request), caller, fields["id"], fields["post_id"], wants_message
    )
    return json_response(message) if message is not None else ok_response()


def _require_web_push(request: Request) -> None:
    if not runtime(request).settings.enable_web_push:
        raise errors.APIError(501, "api.webpush.disabled.app_error", "Web Push is turned off on this server.")


async def web_push_settings(request: Request) -> Response:
    """What a page needs to subscribe: whether it may, and the key that identifies the server
    to the push service (applicationServerKey)."""
    await require_caller(request)
    rt = runtime(request)
    key = webpush.application_server_key(rt.webpush_key) if rt.webpush_key else ""
    return json_response({"enabled": rt.settings.enable_web_push, "public_key": key})


def _string(body: dict[str, Any], *path: str) -> str:
    value: Any = body
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    if not isinstance(value, str):
        raise errors.bad_request(
            "api.webpush.subscription.invalid.app_error",
            f"Invalid Web Push subscription: {'.'.join(path)} is missing.",
        )
    return value


async def subscribe(request: Request) -> Response:
    """The browser's PushSubscription as its toJSON() gives it: {endpoint, keys: {p256dh, auth}}."""
    caller = await require_caller(request)
    _require_web_push(request)
    body = await read_object(request)
    endpoint, p256dh, auth = (
        _string(body, "endpoint"),
        _string(body, "keys", "p256dh"),
        _string(body, "keys", "auth"),
    )
    await webpush_actions.subscribe(runtime(request), caller, endpoint, p256dh, auth)
    return json_response({"status": "OK"}, 201)


async def unsubscribe(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    await webpush_actions.unsubscribe(runtime(request), caller, _string(body, "endpoint"))
    return ok_response()


routes = [
    Route("/notifications/ack", acknowledge, methods=["POST"]),
    Route("/villagepump/webpush", web_push_settings, methods=["GET"]),
    Route("/villagepump/webpush/subscriptions", subscribe, methods=["POST"]),
    Route("/villagepump/webpush/subscriptions", unsubscribe, methods=["DELETE"]),
]
