"""Security keys and passkeys (WebAuthn) as a second factor, which Mattermost does not have:
/villagepump/webauthn. The signed-in user registers, lists and removes their own keys; a login
whose account has keys can finish with one instead of a code (the web client's choice: the
apps keep using /users/login with a code)."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import webauthn as webauthn_actions
from villagepump.api.authentication import note_request_origin, require_caller, set_session_cookies
from villagepump.api.client_address import client_address
from villagepump.api.http import body_str, json_response, ok_response, path_id, read_object, runtime
from villagepump.render.security_keys import render_security_key
from villagepump.render.users import render_user

_NO_CACHE = {"Cache-Control": "no-store"}


def _credential(body: dict[str, Any]) -> dict[str, Any]:
    credential = body.get("credential")
    if not isinstance(credential, dict):
        raise errors.invalid_body("credential")
    return credential


async def list_keys(request: Request) -> Response:
    caller = await require_caller(request, enrolling=True)
    keys = await webauthn_actions.list_keys(runtime(request), caller.user_id)
    return json_response([render_security_key(key) for key in keys])


async def registration_options(request: Request) -> Response:
    # Open to a user who owes enrolment: a key is one way to enrol.
    caller = await require_caller(request, enrolling=True)
    options = await webauthn_actions.registration_options(runtime(request), caller.user_id)
    return json_response(options, headers=_NO_CACHE)


async def register(request: Request) -> Response:
    caller = await require_caller(request, enrolling=True)
    body = await read_object(request)
    name = body_str(body, "name", max_length=256)
    key, codes = await webauthn_actions.register(runtime(request), caller.user_id, name, _credential(body))
    return json_response({"key": render_security_key(key), "recovery_codes": codes}, 201, headers=_NO_CACHE)


async def remove_key(request: Request) -> Response:
    caller = await require_caller(request)
    key_id = path_id(request, "key_id")
    body = await read_object(request)
    password = body_str(body, "password", max_length=1024)
    code = body_str(body, "code", max_length=64)
    await webauthn_actions.remove_key(runtime(request), caller.user_id, key_id, password, code)
    return ok_response()


async def login_options(request: Request) -> Response:
    rt = runtime(request)
    body = await read_object(request)
    login_id = body_str(body, "login_id", max_length=256)
    password = body_str(body, "password", max_length=1024)
    if not login_id or not password:
        raise errors.bad_request("api.user.login.blank_pwd.app_error", "Password field must not be blank")
    note_request_origin(request, "", "")
    address = client_address(request, rt.settings.trusted_proxies)
    options = await webauthn_actions.login_options(rt, login_id, password, address)
    return json_response(options, headers=_NO_CACHE)


async def login(request: Request) -> Response:
    """Answers as /users/login does: the user, the Token header and the session's cookies."""
    rt = runtime(request)
    body = await read_object(request)
    device_id = body_str(body, "device_id", max_length=512)
    note_request_origin(request, "", "")
    address = client_address(request, rt.settings.trusted_proxies)
    user_agent = request.headers.get("user-agent", "")
    result = await webauthn_actions.finish_login(rt, _credential(body), device_id, address, user_agent)
    response = json_response(render_user(result.user, full=True), headers={"Token": result.token})
    set_session_cookies(response, request, result)
    return response


routes = [
    Route("/villagepump/webauthn/keys", list_keys, methods=["GET"]),
    Route("/villagepump/webauthn/keys", register, methods=["POST"]),
    Route("/villagepump/webauthn/keys/options", registration_options, methods=["POST"]),
    Route("/villagepump/webauthn/keys/{key_id}", remove_key, methods=["DELETE"]),
    Route("/villagepump/webauthn/login/options", login_options, methods=["POST"]),
    Route("/villagepump/webauthn/login", login, methods=["POST"]),
]
