"""The mobile app's receipt for a push: POST /notifications/ack."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import notifications as notification_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, ok_response, read_object, runtime


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


routes = [Route("/notifications/ack", acknowledge, methods=["POST"])]
