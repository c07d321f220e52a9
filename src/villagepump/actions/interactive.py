"""Interactive messages: a click on a post's button or menu calls the action's integration, whose
answer may update the post and say something to the clicker alone; interactive dialogs are
opened by an integration holding a fresh trigger id and submitted to the dialog's URL.

The calls are made while the user waits (as in Mattermost), outside any transaction, through
integrations/outgoing.py: the same address checks as link previews, a timeout, a size limit.
"""

import secrets
from typing import Any

import orjson

from villagepump import errors, permissions
from villagepump.actions import ephemeral as ephemeral_actions
from villagepump.actions import posts as post_actions
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import new_id, now_ms
from villagepump.integrations import interactive as wire
from villagepump.integrations import outgoing
from villagepump.previews.addresses import AllowList
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import systems as system_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

TRIGGER_KEY = "interactive_trigger_key"


def outgoing_policy(rt: Runtime) -> outgoing.Outgoing:
    return outgoing.Outgoing(
        allowed=AllowList.parse(rt.settings.allowed_untrusted_internal_connections),
        timeout_seconds=rt.settings.integration_request_timeout_seconds,
        max_bytes=rt.settings.integration_response_max_bytes,
    )


async def _trigger_key(rt: Runtime) -> bytes:
    """The key trigger ids are signed with, made once per installation and shared by every process."""
    async with rt.db.read() as conn:
        key = await system_store.get_value(conn, TRIGGER_KEY)
    if key is None:
        async with transaction(rt) as tx:
            await system_store.add_value(tx.conn, TRIGGER_KEY, secrets.token_hex(32))
            key = await system_store.get_value(tx.conn, TRIGGER_KEY)
    assert key is not None
    return bytes.fromhex(key)


async def new_trigger_id(rt: Runtime, user_id: str) -> str:
    return wire.make_trigger_id(await _trigger_key(rt), user_id, now_ms())


def _lifetime_ms(rt: Runtime) -> int:
    return rt.settings.integration_request_timeout_seconds * 1000


def _action_failed(detail: str) -> errors.APIError:
    return errors.bad_request(
        "api.post.do_action.action_integration.app_error", "Action integration error.", detail
    )


async def publish_with_actions(
    rt: Runtime, user_id: str, channel_id: str, root_id: str, message: str, props: dict[str, Any]
) -> None:
    """An ephemeral post whose buttons and menus still work: their integrations sealed in cookies."""
    post_id = new_id()
    sealed = wire.sealed_actions(props, await _trigger_key(rt), post_id, channel_id)
    await ephemeral_actions.publish_ephemeral(rt, user_id, channel_id, root_id, message, sealed, post_id)


async def _clicked(
    rt: Runtime, actor: Caller, post_id: str, action_id: str, cookie: str
) -> tuple[Row | None, Row, wire.Action]:
    """The stored post (None for an ephemeral one, known by its cookie), its channel and the action."""
    async with rt.db.read() as conn:
        if cookie:
            channel_id, action = wire.opened_cookie(await _trigger_key(rt), cookie, post_id, action_id)
            return None, await permissions.require_channel_read(conn, actor, channel_id), action
        post, channel = await permissions.require_post_read(conn, actor, post_id)
        found = wire.find_action(post["props"] or {}, action_id)
        if found is None:
            raise errors.not_found("action", "api.post.do_action.action_id.app_error")
        return post, channel, found


async def do_post_action(
    rt: Runtime, actor: Caller, post_id: str, action_id: str, selected_option: str, cookie: str = ""
) -> dict[str, Any]:
    """Mattermost's DoPostAction: the clicker must be able to read the post; the integration
    gets who clicked where, the action's context (with `selected_option` for a menu) and a
    trigger id; its `update` replaces the post's message and props (an ephemeral post's, on the
    clicker's screen), its `ephemeral_text` goes to the clicker alone."""
    post, channel, action = await _clicked(rt, actor, post_id, action_id, cookie)
    async with rt.db.read() as conn:
        team = await team_store.get_team(conn, channel["team_id"]) if channel["team_id"] else None
        user = await user_store.get_user(conn, actor.user_id)
    assert user is not None
    trigger_id = await new_trigger_id(rt, actor.user_id)
    context = dict(action.context)
    if action.type == wire.SELECT:
        context["selected_option"] = selected_option
    request = {
        "user_id": actor.user_id,
        "user_name": user["username"],
        "channel_id": channel["id"],
        "channel_name": channel["name"],
        "team_id": team["id"] if team else "",
        "team_domain": team["name"] if team else "",
        "post_id": post_id,
        "trigger_id": trigger_id,
        "type": action.type,
        "data_source": action.data_source,
        "context": context,
    }
    answer = await _call_json(rt, action.url, request)
    if answer is not None and post is not None:
        await _apply_answer(rt, actor, post, answer)
    elif answer is not None:
        await _apply_ephemeral_answer(rt, actor, post_id, channel["id"], answer)
    return {"status": "OK", "trigger_id": trigger_id}


async def _apply_ephemeral_answer(
    rt: Runtime, actor: Caller, post_id: str, channel_id: str, answer: dict[str, Any]
) -> None:
    update, ephemeral_text = answer.get("update"), answer.get("ephemeral_text")
    if isinstance(update, dict):
        message: str = update["message"] if isinstance(update.get("message"), str) else ""
        props: dict[str, Any] = update["props"] if isinstance(update.get("props"), dict) else {}
        sealed = wire.sealed_actions(props, await _trigger_key(rt), post_id, channel_id)
        await ephemeral_actions.publish_ephemeral(rt, actor.user_id, channel_id, "", message, sealed, post_id)
    if isinstance(ephemeral_text, str) and ephemeral_text:
        await ephemeral_actions.publish_ephemeral(rt, actor.user_id, channel_id, "", ephemeral_text)


async def _call_json(rt: Runtime, url: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """POSTs the JSON body; the JSON object it answers, None for an empty or non-JSON answer."""
    try:
        answer = await outgoing.call(url, outgoing_policy(rt), json_body=orjson.dumps(body))
    except outgoing.CallFailed as error:
        raise _action_failed(str(error)) from None
    if not 200 <= answer.status < 300:
        raise _action_failed(f"HTTP {answer.status}")
    if not answer.body.strip():
        return None
    try:
        data = orjson.loads(answer.body)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


async def _apply_answer(rt: Runtime, actor: Caller, post: Any, answer: dict[str, Any]) -> None:
    update, ephemeral_text = answer.get("update"), answer.get("ephemeral_text")
    if isinstance(update, dict):
        changes: dict[str, Any] = {}
        if isinstance(update.get("message"), str):
            changes["message"] = update["message"]
        if isinstance(update.get("props"), dict):
            changes["props"] = wire.with_action_ids(wire.updated_props(post["props"] or {}, update["props"]))
        if changes:
            # The integration edits the post on behalf of its author, who must still be in the channel.
            author = Caller(user_id=post["user_id"], session_id="", roles=frozenset())
            await post_actions.edit_post(rt, author, post["id"], changes)
    if isinstance(ephemeral_text, str) and ephemeral_text:
        await ephemeral_actions.publish_ephemeral(
            rt, actor.user_id, post["channel_id"], post["root_id"], ephemeral_text
        )


async def open_dialog(rt: Runtime, trigger_id: str, url: str, dialog: Any) -> None:
    """Sends `open_dialog` to the user the trigger id was issued to, while it is fresh."""
    checked = wire.check_dialog(dialog)
    try:
        outgoing.check_url(url)
    except outgoing.CallFailed as error:
        raise errors.bad_request(
            "interactive_message.open_dialog.url.app_error", "Invalid URL.", str(error)
        ) from None
    user_id = wire.trigger_user(await _trigger_key(rt), trigger_id, now_ms(), _lifetime_ms(rt))
    data = {"dialog": json_field({"trigger_id": trigger_id, "url": url, "dialog": checked})}
    await rt.bus.publish([Event("open_dialog", data, Broadcast(user_id=user_id))])


async def submit_dialog(rt: Runtime, actor: Caller, submission: dict[str, Any]) -> dict[str, Any]:
    """POSTs the user's answers to the dialog's URL; returns what it says (`errors` per field,
    or an `error`), which the client shows in the dialog."""
    async with rt.db.read() as conn:
        channel = await permissions.require_channel_read(conn, actor, submission["channel_id"])
        if submission["team_id"] and channel["team_id"] and submission["team_id"] != channel["team_id"]:
            raise errors.invalid_param("team_id")
    body = {**submission, "type": "dialog_submission", "user_id": actor.user_id}
    body.pop("url")
    answer = await _call_json(rt, submission["url"], body)
    if answer is None:
        return {}
    result: dict[str, Any] = {}
    if isinstance(answer.get("error"), str) and answer["error"]:
        result["error"] = answer["error"]
    if isinstance(answer.get("errors"), dict):
        result["errors"] = {str(k): str(v) for k, v in answer["errors"].items()}
    return result
