"""Interactive messages: a click on a post's button or menu, and interactive dialogs."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import interactive as interactive_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    ok_response,
    path_id,
    read_object,
    runtime,
)
from villagepump.ids import is_valid_id

MAX_SUBMISSION_BYTES = 64 * 1024


async def do_post_action(request: Request) -> Response:
    caller = await require_caller(request)
    post_id = path_id(request, "post_id")
    action_id = request.path_params["action_id"]
    if not action_id or len(action_id) > 64:
        raise errors.invalid_param("action_id")
    selected_option = cookie = ""
    if await request.body():
        body = await read_object(request)
        selected_option = body_str(body, "selected_option", max_length=4096)
        cookie = body_str(body, "cookie", max_length=MAX_SUBMISSION_BYTES)
    answer = await interactive_actions.do_post_action(
        runtime(request), caller, post_id, action_id, selected_option, cookie
    )
    return json_response(answer)


async def open_dialog(request: Request) -> Response:
    # Any authenticated integration may ask; the trigger id decides whose screen it opens on.
    await require_caller(request)
    body = await read_object(request)
    trigger_id, url = body_str(body, "trigger_id", max_length=1024), body_str(body, "url", max_length=1024)
    if not trigger_id:
        raise errors.invalid_body("trigger_id")
    if not url:
        raise errors.invalid_body("url")
    await interactive_actions.open_dialog(runtime(request), trigger_id, url, body.get("dialog"))
    return ok_response()


def _body_id(body: dict[str, object], name: str, required: bool = True) -> str:
    value = body_str(body, name, max_length=26)  # type: ignore[arg-type]
    if (value or required) and not is_valid_id(value):
        raise errors.invalid_body(name)
    return value


async def submit_dialog(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    user_id = _body_id(body, "user_id", required=False)
    if user_id and user_id != caller.user_id:
        raise errors.forbidden()
    submission = body.get("submission", {})
    if not isinstance(submission, dict) or len(str(submission)) > MAX_SUBMISSION_BYTES:
        raise errors.invalid_body("submission")
    url = body_str(body, "url", max_length=1024)
    if not url:
        raise errors.invalid_body("url")
    checked = {
        "url": url,
        "callback_id": body_str(body, "callback_id", max_length=1024),
        "state": body_str(body, "state", max_length=MAX_SUBMISSION_BYTES),
        "channel_id": _body_id(body, "channel_id"),
        "team_id": _body_id(body, "team_id", required=False),
        "submission": submission,
        "cancelled": body_bool(body, "cancelled"),
    }
    answer = await interactive_actions.submit_dialog(runtime(request), caller, checked)
    return json_response(answer)


routes = [
    Route("/posts/{post_id}/actions/{action_id}", do_post_action, methods=["POST"]),
    Route("/actions/dialogs/open", open_dialog, methods=["POST"]),
    Route("/actions/dialogs/submit", submit_dialog, methods=["POST"]),
]
