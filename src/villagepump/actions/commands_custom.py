"""Custom slash commands: made, changed and removed by those who manage a team's commands (team
and system admins), run by any member, each run a call to the command's URL.

The call is made while the user waits, as in Mattermost, but outside any transaction and
without blocking the event loop (integrations/outgoing.py); a slow or failing URL costs its
own request a timeout and an error message, never another request anything. What the command
answers later through its response_url is taken by `respond_later`, a few times within a limit.
"""

from dataclasses import dataclass
from typing import Any

from villagepump import commands, errors, permissions
from villagepump.actions import ephemeral as ephemeral_actions
from villagepump.actions import interactive as interactive_actions
from villagepump.actions import posts as post_actions
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.commands.base import Invocation
from villagepump.ids import new_id, now_ms
from villagepump.integrations import commands_custom as wire
from villagepump.integrations import outgoing
from villagepump.previews.addresses import AllowList
from villagepump.previews.fetch import checked_address
from villagepump.previews.urls import FetchFailed, parse_target
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import commands_custom as command_store

# Mattermost's response_url limits (model.CommandWebhook): 30 minutes and 5 answers.
RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000
RESPONSE_URL_MAX_USES = 5


def require_enabled(rt: Runtime) -> None:
    if not rt.settings.enable_commands:
        raise errors.APIError(
            501, "api.command.disabled.app_error", "Commands have been disabled by the system admin."
        )


class _NotLookedUp(Exception):
    pass


async def _no_lookup(host: str, port: int) -> list[Any]:
    raise _NotLookedUp


async def check_command_url(rt: Runtime, url: str) -> None:
    """Refuses at once a URL that could never be called: not http(s), or a literal internal
    address (127.0.0.1, localhost, 10.x, ...) the administrator has not allowed. Names are
    looked up when the command runs, since what they resolve to may change."""
    try:
        await checked_address(parse_target(url), _allow_list(rt), _no_lookup)
    except _NotLookedUp:
        return
    except FetchFailed as refused:
        raise errors.bad_request(
            "model.command.is_valid.url.app_error", "Invalid URL.", str(refused)
        ) from None


def _allow_list(rt: Runtime) -> AllowList:
    return AllowList.parse(rt.settings.allowed_untrusted_internal_connections)


def _duplicate_trigger() -> errors.APIError:
    return errors.bad_request(
        "api.command.duplicate_trigger.app_error", "This trigger word is already in use."
    )


async def _require_free_trigger(conn: Any, team_id: str, trigger: str, command_id: str = "") -> None:
    """Built-in triggers stay the built-ins'; a team's live triggers are unique (a unique key
    stands behind this check for two creations at once)."""
    if trigger in commands.BY_TRIGGER:
        raise _duplicate_trigger()
    existing = await command_store.command_by_trigger(conn, team_id, trigger)
    if existing is not None and existing["id"] != command_id:
        raise _duplicate_trigger()


async def create_command(rt: Runtime, actor: Caller, team_id: str, fields: dict[str, Any]) -> Row:
    require_enabled(rt)
    await check_command_url(rt, fields["url"])
    async with transaction(rt) as tx:
        await permissions.require_team_admin(tx.conn, actor, team_id)
        await _require_free_trigger(tx.conn, team_id, fields["trigger"])
        now = now_ms()
        command_id = new_id()
        values = {
            **fields,
            "id": command_id,
            "token": new_id(),
            "create_at": now,
            "update_at": now,
            "delete_at": 0,
            "creator_id": actor.user_id,
            "team_id": team_id,
        }
        await command_store.insert_command(tx.conn, values)
        created = await command_store.get_command(tx.conn, command_id)
    assert created is not None
    return created


async def _managed_command(conn: Any, actor: Caller, command_id: str) -> Row:
    """The command, locked, if the actor manages its team's commands; 404 for anyone else, so
    a command's existence is not revealed outside those who manage it."""
    command = await command_store.get_command(conn, command_id, lock=True)
    if command is None:
        raise errors.not_found("command", "api.command.command_not_found.app_error")
    try:
        await permissions.require_team_admin(conn, actor, command["team_id"])
    except errors.APIError:
        raise errors.not_found("command", "api.command.command_not_found.app_error") from None
    return command


async def get_command(rt: Runtime, actor: Caller, command_id: str) -> Row:
    require_enabled(rt)
    async with rt.db.read() as conn:
        return await _managed_command(conn, actor, command_id)


async def update_command(rt: Runtime, actor: Caller, command_id: str, fields: dict[str, Any]) -> Row:
    require_enabled(rt)
    await check_command_url(rt, fields["url"])
    async with transaction(rt) as tx:
        command = await _managed_command(tx.conn, actor, command_id)
        await _require_free_trigger(tx.conn, command["team_id"], fields["trigger"], command_id)
        await command_store.update_command(tx.conn, command_id, {**fields, "update_at": now_ms()})
        updated = await command_store.get_command(tx.conn, command_id)
    assert updated is not None
    return updated


async def delete_command(rt: Runtime, actor: Caller, command_id: str) -> None:
    require_enabled(rt)
    async with transaction(rt) as tx:
        await _managed_command(tx.conn, actor, command_id)
        now = now_ms()
        await command_store.update_command(tx.conn, command_id, {"delete_at": now, "update_at": now})


async def regenerate_token(rt: Runtime, actor: Caller, command_id: str) -> str:
    require_enabled(rt)
    token = new_id()
    async with transaction(rt) as tx:
        await _managed_command(tx.conn, actor, command_id)
        await command_store.update_command(tx.conn, command_id, {"token": token, "update_at": now_ms()})
    return token


async def move_command(rt: Runtime, actor: Caller, command_id: str, team_id: str) -> None:
    """To another team the actor also manages, where its trigger must be free."""
    require_enabled(rt)
    async with transaction(rt) as tx:
        command = await _managed_command(tx.conn, actor, command_id)
        await permissions.require_team_admin(tx.conn, actor, team_id)
        await _require_free_trigger(tx.conn, team_id, command["trigger"], command_id)
        await command_store.update_command(tx.conn, command_id, {"team_id": team_id, "update_at": now_ms()})


async def list_commands(rt: Runtime, actor: Caller, team_id: str) -> list[Row]:
    async with rt.db.read() as conn:
        await permissions.require_team_admin(conn, actor, team_id)
        return await command_store.team_commands(conn, team_id)


async def autocomplete_commands(rt: Runtime, team_id: str) -> list[Row]:
    """The team's commands that ask to be suggested (the caller's membership is checked by the route)."""
    if not rt.settings.enable_commands:
        return []
    async with rt.db.read() as conn:
        return [c for c in await command_store.team_commands(conn, team_id) if c["auto_complete"]]


async def find_command(inv: Invocation, trigger: str) -> Row | None:
    if inv.team is None:
        return None
    async with inv.rt.db.read() as conn:
        command = await command_store.command_by_trigger(conn, inv.team["id"], trigger)
    if command is not None:
        require_enabled(inv.rt)
    return command


def _failed(trigger: str, detail: str) -> errors.APIError:
    return errors.bad_request(
        "api.command.execute_command.failed.app_error",
        f"Command with a trigger of '/{trigger}' failed.",
        detail,
    )


async def run_command(inv: Invocation, command: Row, message: str) -> dict[str, Any]:
    """Calls the command's URL with Mattermost's fields and acts on its answer; the answer, as
    the client gets it. Failures are the caller's error message, never a server error."""
    rt, trigger = inv.rt, command["trigger"]
    assert inv.team is not None
    hook_id = new_id()
    async with transaction(rt) as tx:
        await command_store.insert_webhook(
            tx.conn,
            {
                "id": hook_id,
                "create_at": now_ms(),
                "command_id": command["id"],
                "user_id": inv.caller.user_id,
                "channel_id": inv.channel["id"],
                "root_id": inv.root_id,
                "use_count": 0,
            },
        )
    trigger_id = await interactive_actions.new_trigger_id(rt, inv.caller.user_id)
    user = {"id": inv.caller.user_id, "username": inv.channel["poster_username"]}
    fields = wire.request_fields(
        command, inv.team, inv.channel, user, message, trigger_id, f"{inv.site_url}/hooks/commands/{hook_id}"
    )
    how = interactive_actions.outgoing_policy(rt)
    try:
        answer = await outgoing.call(
            command["url"], how, method="GET" if command["method"] == "G" else "POST", form=fields
        )
    except outgoing.CallFailed as error:
        raise _failed(trigger, str(error)) from None
    if not 200 <= answer.status < 300:
        raise errors.bad_request(
            "api.command.execute_command.failed_resp.app_error",
            f"Command with a trigger of '/{trigger}' returned response {answer.status}.",
        )
    try:
        response = wire.parse_response(answer.content_type, answer.body)
    except wire.BadResponse as error:
        raise _failed(trigger, str(error)) from None
    target = _Target(inv.caller, inv.channel["id"], inv.root_id, command)
    for each in [response, *response.extra]:
        await _act_on(rt, target, each)
    rendered = response.render()
    rendered["trigger_id"] = trigger_id
    return rendered


@dataclass(frozen=True)
class _Target:
    actor: Caller
    channel_id: str
    root_id: str
    command: Row


async def _act_on(rt: Runtime, target: _Target, response: wire.CommandResponse) -> None:
    """In-channel text becomes a post by the user who ran the command, marked as coming from an
    integration; ephemeral text goes to that user alone."""
    if not response.text and not response.attachments:
        return
    if response.response_type == wire.IN_CHANNEL:
        overrides = wire.Overrides(
            rt.settings.enable_post_username_override, rt.settings.enable_post_icon_override
        )
        props = response.post_props(target.command, overrides)
        draft = post_actions.Draft(response.text, root_id=target.root_id, props=props)
        await post_actions.create_post(rt, target.actor, target.channel_id, draft)
    elif response.attachments:
        props = {**response.props, "attachments": response.attachments}
        await interactive_actions.publish_with_actions(
            rt, target.actor.user_id, target.channel_id, target.root_id, response.text, props
        )
    else:
        await ephemeral_actions.publish_ephemeral(
            rt, target.actor.user_id, target.channel_id, target.root_id, response.text
        )


async def respond_later(rt: Runtime, hook_id: str, data: Any) -> None:
    """A delayed answer POSTed to a run's response_url: the same JSON as the first answer."""
    try:
        response = wire.response_from(data, extra_allowed=True)
    except wire.BadResponse as error:
        raise errors.bad_request(
            "api.command_webhook.parse.app_error", "Invalid response.", str(error)
        ) from None
    async with transaction(rt) as tx:
        hook = await command_store.use_webhook(
            tx.conn, hook_id, now_ms() - RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_MAX_USES
        )
        if hook is None:
            raise errors.bad_request(
                "app.command_webhook.try_use.invalid.app_error", "Invalid or expired response URL."
            )
        command = await command_store.get_command(tx.conn, hook["command_id"])
    if command is None:
        raise errors.bad_request(
            "app.command_webhook.try_use.invalid.app_error", "Invalid or expired response URL."
        )
    # The user's current rights apply: create_post checks they are still in the channel.
    actor = Caller(user_id=hook["user_id"], session_id="", roles=frozenset())
    target = _Target(actor, hook["channel_id"], hook["root_id"], command)
    for each in [response, *response.extra]:
        await _act_on(rt, target, each)
