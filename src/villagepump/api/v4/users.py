"""Users, login and logout, two-factor authentication, sessions and personal access tokens."""

import base64
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import account_mail
from villagepump.actions import erase_user as erase_actions
from villagepump.actions import mailed_links as links
from villagepump.actions import mfa as mfa_actions
from villagepump.actions import pictures as picture_actions
from villagepump.actions import sessions as session_actions
from villagepump.actions import terms as terms_actions
from villagepump.actions import users as user_actions
from villagepump.api.authentication import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    USER_COOKIE,
    note_request_origin,
    optional_caller,
    require_caller,
    set_session_cookies,
)
from villagepump.api.client_address import client_address
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    ok_response,
    paging,
    path_id,
    path_user_id,
    query_bool,
    query_id,
    query_int,
    query_str,
    read_list,
    read_object,
    runtime,
)
from villagepump.api.image_responses import cache_control_for, not_modified, picture_response, validators
from villagepump.api.image_uploads import staged_image
from villagepump.auth import Caller
from villagepump.avatars import default_avatar
from villagepump.ids import is_valid_id, now_ms
from villagepump.moderation.terms import owes_terms
from villagepump.render.users import render_user
from villagepump.store import Row
from villagepump.store import bots as bot_store
from villagepump.store import sessions as session_store
from villagepump.store import users as user_store
from villagepump.store.user_search import UserFilter, in_order, search_user_ids

MAX_SEARCH_RESULTS = 1000


def _render(caller: Caller, user: Row) -> dict[str, Any]:
    return render_user(user, full=caller.user_id == user["id"] or caller.is_system_admin)


async def create_user(request: Request) -> Response:
    """Invite-only: an admin, a team invite (?iid=), the first-admin link, or an open server."""
    rt = runtime(request)
    body = await read_object(request)
    fields: dict[str, Any] = {
        "username": body.get("username"),
        "email": body.get("email"),
        "password": body.get("password"),
        "profile": {k: body.get(k) for k in ("nickname", "first_name", "last_name", "position", "locale")},
    }
    setup_token = query_str(request, "setup_token", max_length=64)
    if setup_token:
        user = await user_actions.create_first_admin(rt, setup_token, **fields)
        return json_response(render_user(user, full=True), 201)
    invite_id = query_str(request, "iid", max_length=64)
    invitation_token = query_str(request, "t", max_length=links.MAX_TOKEN_LENGTH)
    caller = await optional_caller(request)
    if caller is not None and owes_terms(rt.settings, caller, now_ms()):
        raise terms_actions.terms_required()
    if caller is not None and mfa_actions.owes_enrolment(rt.settings, caller):
        raise mfa_actions.enrolment_required()
    if not rt.settings.enable_sign_up_with_email and not (caller is not None and caller.is_system_admin):
        raise errors.APIError(
            501,
            "api.user.create_user.signup_email_disabled.app_error",
            "User sign-up with email is disabled.",
        )
    if invitation_token:
        # The invited address is the account's: an e-mail in the body is ignored, as in Mattermost.
        invitation = await user_actions.find_invitation(rt, invitation_token)
        user = await user_actions.create_user(
            rt, invitation=invitation, **{**fields, "email": invitation["email"]}
        )
    elif invite_id:
        user = await user_actions.create_user(rt, invite_id=invite_id, **fields)
    elif (caller is not None and caller.is_system_admin) or rt.settings.open_signup:
        user = await user_actions.create_user(rt, **fields)
    else:
        raise errors.forbidden("User sign-up is by invitation only.")
    return json_response(render_user(user, full=True), 201)


def _body_token(body: dict[str, Any]) -> str:
    token = body_str(body, "token", max_length=links.MAX_TOKEN_LENGTH)
    if not token:
        raise errors.invalid_param("token")
    return token


def _body_email(body: dict[str, Any]) -> str:
    email = body_str(body, "email", max_length=256).strip().lower()
    if not email:
        raise errors.invalid_param("email")
    return email


async def send_verification_email(request: Request) -> Response:
    """Always 200: the answer must not tell whether an address has an account."""
    body = await read_object(request)
    await account_mail.send_verification(runtime(request), _body_email(body))
    return ok_response()


async def verify_email(request: Request) -> Response:
    body = await read_object(request)
    await account_mail.verify_email(runtime(request), _body_token(body))
    return ok_response()


async def send_password_reset(request: Request) -> Response:
    """Always 200: the answer must not tell whether an address has an account."""
    body = await read_object(request)
    await account_mail.send_password_reset(runtime(request), _body_email(body))
    return ok_response()


async def reset_password(request: Request) -> Response:
    body = await read_object(request)
    token = _body_token(body)
    new_password = body_str(body, "new_password", max_length=1024)
    await account_mail.reset_password(runtime(request), token, new_password)
    return ok_response()


async def login(request: Request) -> Response:
    rt = runtime(request)
    body = await read_object(request)
    login_id = body_str(body, "login_id", max_length=256) or body_str(body, "username", max_length=256)
    password = body_str(body, "password", max_length=1024)
    if not login_id or not password:
        raise errors.bad_request("api.user.login.blank_pwd.app_error", "Password field must not be blank")
    address = client_address(request, rt.settings.trusted_proxies)
    note_request_origin(request, "", "")
    device_id = body_str(body, "device_id", max_length=512)
    user_agent = request.headers.get("user-agent", "")
    mfa_token = body_str(body, "token", max_length=64)
    result = await session_actions.login(
        rt, login_id, password, device_id, address, user_agent=user_agent, mfa_token=mfa_token
    )
    response = json_response(render_user(result.user, full=True), headers={"Token": result.token})
    set_session_cookies(response, request, result)
    return response


async def logout(request: Request) -> Response:
    rt = runtime(request)
    try:
        caller = await require_caller(request, enrolling=True, accepting_terms=True)
    except errors.APIError:
        caller = None
    if caller is not None and not caller.is_access_token:
        await session_actions.logout(rt, caller)
    response = ok_response()
    for cookie in (SESSION_COOKIE, USER_COOKIE, CSRF_COOKIE):
        response.delete_cookie(cookie)
    return response


async def _visible(conn: AsyncConnection, caller: Caller, users: list[Row]) -> list[Row]:
    """The users the caller may see: everyone, except for a guest (permissions.visible_user_ids)."""
    if not caller.is_guest:
        return users
    seen = await permissions.visible_user_ids(conn, caller, [u["id"] for u in users])
    return [u for u in users if u["id"] in seen]


async def get_user(request: Request) -> Response:
    # Reading yourself stays open to a user who owes two-factor enrolment, as in Mattermost
    # (only as /users/me), so a client can tell who is signed in and send them to enrol.
    me = request.path_params["user_id"] == "me"
    caller = await require_caller(request, enrolling=me, accepting_terms=me)
    user_id = path_user_id(request, caller.user_id)
    async with runtime(request).db.read() as conn:
        user = await user_store.get_user(conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        await permissions.require_user_visible(conn, caller, user_id)
        rendered = await _with_bot_description(conn, _render(caller, user))
    if user_id == caller.user_id:
        # The version you accepted, which Mattermost's apps compare with the latest to decide
        # whether to show the terms (only ever on your own user).
        rendered["terms_of_service_id"] = caller.accepted_terms_id
        rendered["terms_of_service_create_at"] = caller.accepted_terms_at
    return json_response(rendered)


async def _with_bot_description(conn: AsyncConnection, rendered: dict[str, Any]) -> dict[str, Any]:
    # Mattermost's user object carries a bot's description where it is read one at a time.
    if rendered["is_bot"]:
        found = await bot_store.descriptions(conn, [rendered["id"]])
        rendered["bot_description"] = found.get(rendered["id"], "")
    return rendered


async def get_user_by_username(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        users = await user_store.get_users_by_usernames(conn, [request.path_params["username"]])
        if not users:
            raise errors.not_found("user", "app.user.get_by_username.app_error")
        await permissions.require_user_visible(conn, caller, users[0]["id"])
        rendered = await _with_bot_description(conn, _render(caller, users[0]))
    return json_response(rendered)


async def get_user_by_email(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        user = await user_store.get_user_by_login(conn, request.path_params["email"])
    # Looking people up by address is how e-mails get harvested: admins only, or yourself.
    if user is None or user["email"] != request.path_params["email"].lower():
        raise errors.not_found("user", "app.user.missing_account.const")
    permissions.require_self_or_admin(caller, user["id"])
    return json_response(_render(caller, user))


async def get_users_by_ids(request: Request) -> Response:
    caller = await require_caller(request)
    ids = await read_list(request, str, max_items=1000)
    since = query_int(request, "since", 0)
    async with runtime(request).db.read() as conn:
        users = await _visible(conn, caller, await user_store.get_users(conn, ids))
    return json_response([_render(caller, u) for u in users if u["update_at"] > since])


async def get_users_by_usernames(request: Request) -> Response:
    caller = await require_caller(request)
    names = await read_list(request, str, max_items=1000)
    async with runtime(request).db.read() as conn:
        users = await _visible(conn, caller, await user_store.get_users_by_usernames(conn, names))
    return json_response([_render(caller, u) for u in users])


async def get_users_in_group_channels(request: Request) -> Response:
    # The mobile app titles group messages from this; channels the caller is not in are left out.
    caller = await require_caller(request)
    channel_ids = await read_list(request, str, max_items=1000)
    async with runtime(request).db.read() as conn:
        rows = await user_store.group_channel_profiles(conn, caller.user_id, channel_ids)
    by_channel: dict[str, list[dict[str, Any]]] = {}
    for channel_id, user in rows:
        by_channel.setdefault(channel_id, []).append(_render(caller, user))
    return json_response(by_channel)


async def list_users(request: Request) -> Response:
    caller = await require_caller(request)
    page, per_page = paging(request, default_per_page=60, max_per_page=200)
    filters = {
        name: query_id(request, name) for name in ("in_team", "not_in_team", "in_channel", "not_in_channel")
    }
    async with runtime(request).db.read() as conn:
        if filters["in_team"] or filters["not_in_team"]:
            await permissions.require_team_member(conn, caller, filters["in_team"] or filters["not_in_team"])
        for name in ("in_channel", "not_in_channel"):
            if filters[name]:
                await permissions.require_channel_read(conn, caller, filters[name])
        users = await user_store.list_users(
            conn,
            page=page,
            per_page=per_page,
            include_deleted=query_bool(request, "include_deleted") and caller.is_system_admin,
            sort=query_str(request, "sort", max_length=32),
            **filters,
        )
        # A guest's page may come out short: the ones they may not see are left out of it.
        users = await _visible(conn, caller, users)
    return json_response([_render(caller, u) for u in users])


async def autocomplete(request: Request) -> Response:
    caller = await require_caller(request)
    name = query_str(request, "name", max_length=64)
    team_id, channel_id = query_id(request, "in_team"), query_id(request, "in_channel")
    limit = query_int(request, "limit", 100, minimum=1, maximum=200)
    async with runtime(request).db.read() as conn:
        if team_id:
            await permissions.require_team_member(conn, caller, team_id)
        if channel_id:
            await permissions.require_channel_read(conn, caller, channel_id)
        in_channel = (
            await user_store.autocomplete(conn, name, in_channel=channel_id, limit=limit)
            if channel_id
            else []
        )
        in_team = await user_store.autocomplete(conn, name, in_team=team_id, limit=limit)
        in_team = await _visible(conn, caller, in_team)
    if channel_id:
        member_ids = {u["id"] for u in in_channel}
        return json_response(
            {
                "users": [_render(caller, u) for u in in_channel],
                "out_of_channel": [_render(caller, u) for u in in_team if u["id"] not in member_ids],
            }
        )
    return json_response({"users": [_render(caller, u) for u in in_team]})


def _body_id(body: dict[str, Any], name: str) -> str:
    value = body_str(body, name, max_length=26)
    if value and not is_valid_id(value):
        raise errors.invalid_body(name)
    return value


async def search_users(request: Request) -> Response:
    """Mattermost's user search: the same visibility as the listing above (a team or channel
    filter needs the caller to see that team or channel), e-mail addresses only for admins."""
    caller = await require_caller(request)
    body = await read_object(request)
    term = body_str(body, "term", max_length=64).strip()
    where = UserFilter(
        team_id=_body_id(body, "team_id"),
        not_in_team_id=_body_id(body, "not_in_team_id"),
        in_channel_id=_body_id(body, "in_channel_id"),
        not_in_channel_id=_body_id(body, "not_in_channel_id"),
        without_team=body_bool(body, "without_team"),
        allow_inactive=body_bool(body, "allow_inactive"),
    )
    limit = body.get("limit", 100) or 100
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise errors.invalid_body("limit")
    if where.not_in_channel_id and not where.team_id:
        raise errors.invalid_param("team_id")
    async with runtime(request).db.read() as conn:
        for team_id in (where.team_id, where.not_in_team_id):
            if team_id:
                await permissions.require_team_member(conn, caller, team_id)
        for channel_id in (where.in_channel_id, where.not_in_channel_id):
            if channel_id:
                await permissions.require_channel_read(conn, caller, channel_id)
        ids = await search_user_ids(
            conn, term, where, with_email=caller.is_system_admin, limit=min(limit, MAX_SEARCH_RESULTS)
        )
        users = await _visible(conn, caller, in_order(await user_store.get_users(conn, ids), ids))
    return json_response([_render(caller, u) for u in users])


async def patch_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    body = await read_object(request)
    user = await user_actions.patch_user(runtime(request), user_id, body, by_admin=caller.is_system_admin)
    return json_response(_render(caller, user))


async def update_password(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    body = await read_object(request)
    current = body_str(body, "current_password", max_length=1024)
    # Admins reset other people's passwords without knowing them; everyone proves their own.
    needs_current = caller.user_id == user_id or not caller.is_system_admin
    await user_actions.change_password(
        runtime(request),
        user_id,
        current if needs_current else None,
        body_str(body, "new_password", max_length=1024),
        keep_session=caller.session_id if caller.user_id == user_id else "",
    )
    return ok_response()


async def update_roles(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    user_id = path_id(request, "user_id")
    body = await read_object(request)
    await user_actions.update_roles(runtime(request), user_id, body_str(body, "roles", max_length=256))
    return ok_response()


async def erase_user(request: Request, caller: Caller, user_id: str) -> None:
    """`permanent=true`: Mattermost's compliance deletion, which we do as an erase (decision
    0039), for system admins, only while ServiceSettings.EnableAPIUserDeletion is on."""
    rt = runtime(request)
    permissions.require_system_admin(caller)
    if not rt.settings.enable_api_user_deletion:
        raise errors.APIError(
            401,
            "api.user.delete_user.not_enabled.app_error",
            "Permanent user deletion feature is not enabled. Please contact your System Administrator.",
        )
    await erase_actions.erase_user(rt, caller, user_id, erase_actions.EraseOptions.from_settings(rt))


def _require_self_deactivation(request: Request, caller: Caller, user_id: str) -> None:
    # Mattermost's rule and error: without TeamSettings.EnableUserDeactivation only admins deactivate.
    allowed = runtime(request).settings.enable_user_deactivation
    if user_id == caller.user_id and not caller.is_system_admin and not allowed:
        raise errors.APIError(
            401,
            "api.user.update_active.not_enable.app_error",
            "You cannot deactivate yourself because this feature is not enabled.",
        )


async def deactivate_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    if query_bool(request, "permanent"):
        await erase_user(request, caller, user_id)
        return ok_response()
    if user_id != caller.user_id and not caller.is_system_admin:
        permissions.require_moderator(caller)
    _require_self_deactivation(request, caller, user_id)
    await user_actions.set_active(runtime(request), user_id, False, actor=caller)
    return ok_response()


async def demote_user(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    await user_actions.set_guest(runtime(request), path_id(request, "user_id"), True)
    return ok_response()


async def promote_user(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    await user_actions.set_guest(runtime(request), path_id(request, "user_id"), False)
    return ok_response()


async def update_active(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_id(request, "user_id")
    body = await read_object(request)
    active = body.get("active")
    if not isinstance(active, bool):
        raise errors.invalid_body("active")
    # Users may deactivate themselves; only admins bring accounts back.
    if active:
        permissions.require_system_admin(caller)
    elif caller.user_id != user_id and not caller.is_system_admin:
        permissions.require_moderator(caller)
    _require_self_deactivation(request, caller, user_id)
    await user_actions.set_active(runtime(request), user_id, active, actor=caller)
    return ok_response()


async def check_user_mfa(request: Request) -> Response:
    """Mattermost's legacy pre-login check (the apps now try the login and read its error)."""
    rt = runtime(request)
    body = await read_object(request)
    login_id = body_str(body, "login_id", max_length=256)
    if not login_id:
        raise errors.invalid_body("login_id")
    required = False
    if rt.settings.enable_mfa:
        async with rt.db.read() as conn:
            user = await user_store.get_user_by_login(conn, login_id)
        required = user is not None and bool(user["mfa_active"])
    return json_response({"mfa_required": required})


_NO_CACHE = {"Cache-Control": "no-cache, no-store, must-revalidate", "Pragma": "no-cache", "Expires": "0"}


async def generate_mfa_secret(request: Request) -> Response:
    caller = await require_caller(request, enrolling=True)
    user_id = path_user_id(request, caller.user_id)
    # Only for yourself: whoever holds the secret holds the second factor (Mattermost lets an
    # admin generate one for someone else).
    if user_id != caller.user_id:
        raise errors.forbidden()
    secret, qr_png = await mfa_actions.generate_secret(runtime(request), user_id)
    body = {"secret": secret, "qr_code": base64.b64encode(qr_png).decode()}
    return json_response(body, headers=_NO_CACHE)


async def update_mfa(request: Request) -> Response:
    """Activate with a code (yourself; the answer carries the ten recovery codes, shown once),
    or deactivate (yourself, or a system admin resetting someone's)."""
    caller = await require_caller(request, enrolling=True)
    user_id = path_user_id(request, caller.user_id)
    body = await read_object(request)
    activate = body.get("activate")
    if not isinstance(activate, bool):
        raise errors.invalid_body("activate")
    rt = runtime(request)
    if not activate:
        if user_id != caller.user_id:
            permissions.require_system_admin(caller)
        await mfa_actions.deactivate(rt, user_id)
        return ok_response()
    code = body_str(body, "code", max_length=64)
    if not code:
        raise errors.invalid_body("code")
    if user_id != caller.user_id:
        raise errors.forbidden()
    codes = await mfa_actions.activate(rt, user_id, code)
    return json_response({"status": "OK", "recovery_codes": codes}, headers=_NO_CACHE)


async def regenerate_recovery_codes(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    if user_id != caller.user_id:
        raise errors.forbidden()
    body = await read_object(request)
    code = body_str(body, "code", max_length=64)
    if not code:
        raise errors.invalid_body("code")
    codes = await mfa_actions.regenerate_recovery_codes(runtime(request), user_id, code)
    return json_response({"recovery_codes": codes}, headers=_NO_CACHE)


def _render_session(session: Row, current_id: str) -> dict[str, Any]:
    # No client address: the server never keeps one with a session (docs/admin.md). The web
    # client marks "this device" by `props.is_current`, which Mattermost's clients ignore.
    props = {**(session["props"] or {}), "csrf": ""}
    if session["id"] == current_id:
        props["is_current"] = "true"
    return {
        "id": session["id"],
        "create_at": session["create_at"],
        "expires_at": session["expires_at"],
        "last_activity_at": session["last_activity_at"],
        "user_id": session["user_id"],
        "device_id": session["device_id"],
        "roles": "",
        "is_oauth": False,
        "props": props,
        "team_members": [],
        "local": False,
    }


async def list_sessions(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        sessions = await session_store.list_sessions(conn, user_id)
    return json_response([_render_session(s, caller.session_id) for s in sessions])


async def revoke_session(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    body = await read_object(request)
    await session_actions.revoke_session(
        runtime(request), user_id, body_str(body, "session_id", max_length=26)
    )
    return ok_response()


async def revoke_all_sessions(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    await session_actions.revoke_all_sessions(runtime(request), user_id)
    return ok_response()


async def attach_device(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    if not caller.is_access_token:
        await session_actions.attach_device(
            runtime(request), caller, body_str(body, "device_id", max_length=512)
        )
    return ok_response()


def _render_token(token: Row, secret: str = "") -> dict[str, Any]:
    rendered = {
        "id": token["id"],
        "user_id": token["user_id"],
        "description": token["description"],
        "is_active": token["is_active"],
    }
    if secret:
        rendered["token"] = secret
    return rendered


async def create_access_token(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    body = await read_object(request)
    description = body_str(body, "description", max_length=255)
    if not description:
        raise errors.bad_request(
            "model.user_access_token.is_valid.description.app_error",
            "Invalid description, must be 255 or less characters",
        )
    token, secret = await session_actions.create_access_token(runtime(request), user_id, description)
    return json_response(_render_token(token, secret))


async def list_access_tokens(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        tokens = await session_store.list_access_tokens(conn, user_id)
    return json_response([_render_token(t) for t in tokens])


async def _own_token(request: Request, caller: Caller, token_id: str) -> Row:
    async with runtime(request).db.read() as conn:
        token = await session_store.get_access_token(conn, token_id)
    if token is None:
        raise errors.not_found("token", "app.user_access_token.get_by_token.app_error")
    permissions.require_self_or_admin(caller, token["user_id"])
    return token


async def get_access_token(request: Request) -> Response:
    caller = await require_caller(request)
    return json_response(_render_token(await _own_token(request, caller, path_id(request, "token_id"))))


async def _token_id_from_body(request: Request) -> str:
    body = await read_object(request)
    return body_str(body, "token_id", max_length=26)


async def revoke_access_token(request: Request) -> Response:
    caller = await require_caller(request)
    token = await _own_token(request, caller, await _token_id_from_body(request))
    await session_actions.revoke_access_token(runtime(request), token)
    return ok_response()


async def disable_access_token(request: Request) -> Response:
    caller = await require_caller(request)
    token = await _own_token(request, caller, await _token_id_from_body(request))
    await session_actions.set_access_token_active(runtime(request), token, False)
    return ok_response()


async def enable_access_token(request: Request) -> Response:
    caller = await require_caller(request)
    token = await _own_token(request, caller, await _token_id_from_body(request))
    await session_actions.set_access_token_active(runtime(request), token, True)
    return ok_response()


async def _user_for_picture(request: Request) -> Row:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    async with runtime(request).db.read() as conn:
        user = await user_store.get_user(conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        await permissions.require_user_visible(conn, caller, user_id)
    return user


async def get_profile_image(request: Request) -> Response:
    """The uploaded picture, or the generated one; 304 when the client's copy is current."""
    user = await _user_for_picture(request)
    version = user["last_picture_update"]
    cache_control = cache_control_for(request, version)
    headers = validators(str(version), abs(version) or user["create_at"])
    unchanged = not_modified(request, headers, cache_control)
    if unchanged is not None:
        return unchanged
    picture, is_default = await picture_actions.profile_image(runtime(request), user)
    if is_default and version > 0:
        # The stored picture is missing: Mattermost serves the default briefly and without a validator.
        return picture_response(picture, "image/png", "private, max-age=300")
    return picture_response(picture, "image/png", cache_control, headers)


async def get_default_profile_image(request: Request) -> Response:
    user = await _user_for_picture(request)
    headers = validators(f"default-{user['id']}", user["create_at"])
    cache_control = "private, max-age=86400"
    unchanged = not_modified(request, headers, cache_control)
    if unchanged is not None:
        return unchanged
    return picture_response(default_avatar(user["id"]), "image/png", cache_control, headers)


async def set_profile_image(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    rt = runtime(request)
    # Known before the body: someone else's picture is refused without reading a byte more.
    await picture_actions.require_user(rt, caller, user_id)
    max_size = rt.settings.max_file_size
    async with staged_image(
        request,
        max_size,
        too_large=errors.APIError(
            413,
            "api.user.upload_profile_user.too_large.app_error",
            f"Unable to upload the profile image. The file is larger than {max_size} bytes.",
        ),
        unreadable=errors.bad_request(
            "api.user.upload_profile_user.parse.app_error", "Could not parse the multipart form."
        ),
        no_file=errors.bad_request(
            "api.user.upload_profile_user.no_file.app_error", "No file under 'image' in request."
        ),
    ) as upload:
        await picture_actions.set_profile_image(rt, caller, user_id, upload.files[0].path)
    return ok_response()


async def remove_profile_image(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    await picture_actions.remove_profile_image(runtime(request), caller, user_id)
    return ok_response()


routes = [
    Route("/users", create_user, methods=["POST"]),
    Route("/users", list_users, methods=["GET"]),
    Route("/users/login", login, methods=["POST"]),
    Route("/users/email/verify/send", send_verification_email, methods=["POST"]),
    Route("/users/email/verify", verify_email, methods=["POST"]),
    Route("/users/password/reset/send", send_password_reset, methods=["POST"]),
    Route("/users/password/reset", reset_password, methods=["POST"]),
    Route("/users/logout", logout, methods=["POST"]),
    Route("/users/mfa", check_user_mfa, methods=["POST"]),
    Route("/users/ids", get_users_by_ids, methods=["POST"]),
    Route("/users/usernames", get_users_by_usernames, methods=["POST"]),
    Route("/users/group_channels", get_users_in_group_channels, methods=["POST"]),
    Route("/users/autocomplete", autocomplete, methods=["GET"]),
    Route("/users/search", search_users, methods=["POST"]),
    Route("/users/sessions/device", attach_device, methods=["PUT"]),
    Route("/users/tokens/revoke", revoke_access_token, methods=["POST"]),
    Route("/users/tokens/disable", disable_access_token, methods=["POST"]),
    Route("/users/tokens/enable", enable_access_token, methods=["POST"]),
    Route("/users/tokens/{token_id}", get_access_token, methods=["GET"]),
    Route("/users/username/{username}", get_user_by_username, methods=["GET"]),
    Route("/users/email/{email}", get_user_by_email, methods=["GET"]),
    Route("/users/{user_id}", get_user, methods=["GET"]),
    Route("/users/{user_id}", deactivate_user, methods=["DELETE"]),
    Route("/users/{user_id}", patch_user, methods=["PUT"]),
    Route("/users/{user_id}/patch", patch_user, methods=["PUT"]),
    Route("/users/{user_id}/image", get_profile_image, methods=["GET"]),
    Route("/users/{user_id}/image", set_profile_image, methods=["POST"]),
    Route("/users/{user_id}/image", remove_profile_image, methods=["DELETE"]),
    Route("/users/{user_id}/image/default", get_default_profile_image, methods=["GET"]),
    Route("/users/{user_id}/password", update_password, methods=["PUT"]),
    Route("/users/{user_id}/mfa", update_mfa, methods=["PUT"]),
    Route("/users/{user_id}/mfa/generate", generate_mfa_secret, methods=["POST"]),
    Route("/users/{user_id}/mfa/recovery_codes", regenerate_recovery_codes, methods=["POST"]),
    Route("/users/{user_id}/roles", update_roles, methods=["PUT"]),
    Route("/users/{user_id}/active", update_active, methods=["PUT"]),
    Route("/users/{user_id}/demote", demote_user, methods=["POST"]),
    Route("/users/{user_id}/promote", promote_user, methods=["POST"]),
    Route("/users/{user_id}/sessions", list_sessions, methods=["GET"]),
    Route("/users/{user_id}/sessions/revoke", revoke_session, methods=["POST"]),
    Route("/users/{user_id}/sessions/revoke/all", revoke_all_sessions, methods=["POST"]),
    Route("/users/{user_id}/tokens", create_access_token, methods=["POST"]),
    Route("/users/{user_id}/tokens", list_access_tokens, methods=["GET"]),
]
