"""Incoming and outgoing webhooks: managing them, a request to an incoming hook, and the answer
of an outgoing hook's receiver.

Managing a team's hooks takes Mattermost's default manage_*_webhooks permission: team admins and
system admins. A webhook posts as the user who made it, always marked from_webhook (see
integrations/incoming.webhook_props), with a name and icon of its own only when the admin allows
overrides (EnablePostUsernameOverride, EnablePostIconOverride).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors, permissions
from villagepump.actions import channels as channel_actions
from villagepump.actions import posts as post_actions
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.config import Settings
from villagepump.ids import new_id, now_ms
from villagepump.integrations.incoming import HookRequest, webhook_props
from villagepump.integrations.outgoing import JSON
from villagepump.moderation import posting
from villagepump.previews.addresses import AllowList, forbidden_address, literal_address
from villagepump.previews.urls import FetchFailed, parse_target
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import users as user_store
from villagepump.store import webhooks as webhook_store

INCOMING, OUTGOING = "incoming", "outgoing"
MAX_TRIGGER_WORDS = 100
MAX_CALLBACK_URLS = 10


@dataclass(frozen=True)
class IncomingHookFields:
    channel_id: str
    display_name: str = ""
    description: str = ""
    username: str = ""
    icon_url: str = ""
    channel_locked: bool = False


@dataclass(frozen=True)
class OutgoingHookFields:
    team_id: str
    channel_id: str = ""
    display_name: str = ""
    description: str = ""
    trigger_words: list[str] = field(default_factory=list)
    trigger_when: int = 0
    callback_urls: list[str] = field(default_factory=list)
    content_type: str = ""
    username: str = ""
    icon_url: str = ""


def require_enabled(settings: Settings, kind: str) -> None:
    enabled = settings.enable_incoming_webhooks if kind == INCOMING else settings.enable_outgoing_webhooks
    if not enabled:
        raise errors.APIError(
            501,
            f"api.{kind}_webhook.disabled.app_error",
            f"{kind.capitalize()} webhooks have been disabled by the system admin.",
        )


async def _hook_for(conn: AsyncConnection, actor: Caller, kind: str, hook_id: str) -> Row:
    """The live hook, locked, if the actor may manage its team's hooks."""
    hook = await webhook_store.get_hook(conn, kind, hook_id, lock=True)
    if hook is None:
        raise errors.not_found(
            "webhook",
            "app.webhooks.get_incoming_by_id.app_error"
            if kind == INCOMING
            else "app.webhooks.get_outgoing.app_error",
        )
    await permissions.require_team_admin(conn, actor, hook["team_id"])
    return hook


async def _readable_channel(conn: AsyncConnection, actor: Caller, channel_id: str) -> Row:
    channel = await permissions.require_channel_read(conn, actor, channel_id)
    if not channel["team_id"] or channel["delete_at"]:
        raise errors.bad_request(
            "api.incoming_webhook.invalid_channel.app_error", "Invalid channel for a webhook."
        )
    return channel


async def create_incoming(rt: Runtime, actor: Caller, fields: IncomingHookFields, owner_id: str = "") -> Row:
    """`owner_id`, for a system admin, makes the hook post as someone else (a bot)."""
    require_enabled(rt.settings, INCOMING)
    if owner_id and owner_id != actor.user_id and not actor.is_system_admin:
        raise errors.forbidden()
    now = now_ms()
    async with transaction(rt) as tx:
        channel = await _readable_channel(tx.conn, actor, fields.channel_id)
        await permissions.require_team_admin(tx.conn, actor, channel["team_id"])
        if owner_id and await user_store.get_user(tx.conn, owner_id) is None:
            raise errors.bad_request(
                "api.incoming_webhook.user_id.app_error", "Invalid user_id for the webhook."
            )
        values = {
            "id": new_id(),
            "create_at": now,
            "update_at": now,
            "delete_at": 0,
            "user_id": owner_id or actor.user_id,
            "team_id": channel["team_id"],
            **vars(fields),
        }
        await webhook_store.insert_hook(tx.conn, INCOMING, values)
        hook = await webhook_store.get_hook(tx.conn, INCOMING, values["id"])
    assert hook is not None
    return hook


async def update_incoming(rt: Runtime, actor: Caller, hook_id: str, fields: IncomingHookFields) -> Row:
    require_enabled(rt.settings, INCOMING)
    async with transaction(rt) as tx:
        hook = await _hook_for(tx.conn, actor, INCOMING, hook_id)
        channel = await _readable_channel(tx.conn, actor, fields.channel_id)
        if channel["team_id"] != hook["team_id"]:
            raise errors.bad_request(
                "api.webhook.team_mismatch.app_error", "Unable to move a webhook to another team."
            )
        await webhook_store.update_hook(tx.conn, INCOMING, hook_id, {**vars(fields), "update_at": now_ms()})
        updated = await webhook_store.get_hook(tx.conn, INCOMING, hook_id)
    assert updated is not None
    return updated


async def delete_hook(rt: Runtime, actor: Caller, kind: str, hook_id: str) -> None:
    require_enabled(rt.settings, kind)
    async with transaction(rt) as tx:
        await _hook_for(tx.conn, actor, kind, hook_id)
        now = now_ms()
        await webhook_store.update_hook(tx.conn, kind, hook_id, {"delete_at": now, "update_at": now})


def check_callback_urls(urls: list[str], allowed: AllowList) -> None:
    """http(s) URLs with a host; an address written into the URL must be public or allowed
    (names are checked when each call is made, since what they resolve to can change)."""
    if not urls or len(urls) > MAX_CALLBACK_URLS:
        raise errors.bad_request("model.outgoing_hook.is_valid.callback.app_error", "Invalid callback urls.")
    for url in urls:
        try:
            target = parse_target(url)
            address = literal_address(target.host)
        except (FetchFailed, ValueError):
            raise errors.bad_request(
                "model.outgoing_hook.is_valid.callback.app_error", "Invalid callback urls."
            ) from None
        if address is None and (target.host == "localhost" or target.host.endswith(".localhost")):
            address = literal_address("127.0.0.1")  # RFC 6761: this machine, whatever DNS says
        if address is not None and forbidden_address(address) and not allowed.allows(target.host, address):
            raise errors.bad_request(
                "model.outgoing_hook.is_valid.callback.app_error",
                f"{url} points at a private address; an admin may allow it in AllowedUntrustedInternalConnections.",
            )


async def _check_outgoing(
    conn: AsyncConnection, actor: Caller, settings: Settings, fields: OutgoingHookFields
) -> None:
    await permissions.require_team_admin(conn, actor, fields.team_id)
    if not fields.channel_id and not fields.trigger_words:
        raise errors.bad_request(
            "api.webhook.create_outgoing.triggers.app_error",
            "Either trigger_words or channel_id must be set.",
        )
    if fields.trigger_when not in (0, 1):
        raise errors.bad_request(
            "model.outgoing_hook.is_valid.trigger_when.app_error", "Invalid trigger when."
        )
    if fields.content_type not in ("", JSON, "application/x-www-form-urlencoded"):
        raise errors.bad_request(
            "model.outgoing_hook.is_valid.content_type.app_error", "Invalid content type."
        )
    check_callback_urls(
        fields.callback_urls, AllowList.parse(settings.allowed_untrusted_internal_connections)
    )
    if fields.channel_id:
        channel = await channel_store.get_channel(conn, fields.channel_id)
        if channel is None or channel["team_id"] != fields.team_id:
            raise errors.bad_request(
                "api.webhook.create_outgoing.intersect.app_error", "Channel and team do not match."
            )
        if channel["type"] != "O":
            raise errors.forbidden("Outgoing webhooks can only be created for public channels.")


async def create_outgoing(rt: Runtime, actor: Caller, fields: OutgoingHookFields) -> Row:
    require_enabled(rt.settings, OUTGOING)
    now = now_ms()
    async with transaction(rt) as tx:
        await _check_outgoing(tx.conn, actor, rt.settings, fields)
        values = {
            "id": new_id(),
            "token": new_id(),
            "create_at": now,
            "update_at": now,
            "delete_at": 0,
            "creator_id": actor.user_id,
            **vars(fields),
        }
        await webhook_store.insert_hook(tx.conn, OUTGOING, values)
        hook = await webhook_store.get_hook(tx.conn, OUTGOING, values["id"])
    assert hook is not None
    return hook


async def update_outgoing(rt: Runtime, actor: Caller, hook_id: str, fields: OutgoingHookFields) -> Row:
    require_enabled(rt.settings, OUTGOING)
    async with transaction(rt) as tx:
        hook = await _hook_for(tx.conn, actor, OUTGOING, hook_id)
        if fields.team_id != hook["team_id"]:
            raise errors.bad_request(
                "api.webhook.team_mismatch.app_error", "Unable to move a webhook to another team."
            )
        await _check_outgoing(tx.conn, actor, rt.settings, fields)
        await webhook_store.update_hook(tx.conn, OUTGOING, hook_id, {**vars(fields), "update_at": now_ms()})
        updated = await webhook_store.get_hook(tx.conn, OUTGOING, hook_id)
    assert updated is not None
    return updated


async def regenerate_token(rt: Runtime, actor: Caller, hook_id: str) -> Row:
    require_enabled(rt.settings, OUTGOING)
    async with transaction(rt) as tx:
        await _hook_for(tx.conn, actor, OUTGOING, hook_id)
        await webhook_store.update_hook(
            tx.conn, OUTGOING, hook_id, {"token": new_id(), "update_at": now_ms()}
        )
        updated = await webhook_store.get_hook(tx.conn, OUTGOING, hook_id)
    assert updated is not None
    return updated


# -- posting as a hook ---------------------------------------------------------------------------


def _hook_error(status: int, error_id: str, message: str) -> errors.APIError:
    return errors.APIError(status, error_id, message)


async def _creator(conn: AsyncConnection, user_id: str) -> Caller:
    user = await user_store.get_user(conn, user_id)
    if user is None or user["delete_at"]:
        raise _hook_error(
            403, "web.incoming_webhook.permissions.app_error", "The webhook's creator is no longer active."
        )
    return Caller(
        user_id=user["id"], session_id="", roles=frozenset(user["roles"].split()), is_bot=user["is_bot"]
    )


def _overrides(settings: Settings, username: str, icon_url: str) -> tuple[str, str]:
    return (
        username if settings.enable_post_username_override else "",
        icon_url if settings.enable_post_icon_override else "",
    )


async def execute_incoming(rt: Runtime, hook_id: str, request: HookRequest) -> dict[str, Any]:
    """POST /hooks/{id}: the request's message in the hook's channel, or the one it names
    (by name, or @username for a direct message from the hook's creator) unless the hook is
    locked to its channel. Nothing is written when anything is wrong."""
    if not rt.settings.enable_incoming_webhooks:
        raise _hook_error(
            501,
            "web.incoming_webhook.disabled.app_error",
            "Incoming webhooks have been disabled by the system admin.",
        )
    if not request.text.strip() and not request.attachments:
        raise _hook_error(400, "web.incoming_webhook.text.app_error", "No text specified.")
    async with rt.db.read() as conn:
        hook = await webhook_store.get_hook(conn, INCOMING, hook_id)
        if hook is None:
            raise _hook_error(400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.")
        creator = await _creator(conn, hook["user_id"])
        channel = await _target_channel(conn, hook, request.channel)
    if channel is None:
        assert request.channel.startswith("@")
        channel = await _direct_channel(rt, hook, request.channel[1:])
    if hook["channel_locked"] and channel["id"] != hook["channel_id"]:
        raise _hook_error(
            403,
            "web.incoming_webhook.channel_locked.app_error",
            "This webhook is not permitted to post to the requested channel.",
        )
    username, icon_url = _overrides(
        rt.settings, request.username or hook["username"], request.icon_url or hook["icon_url"]
    )
    props = webhook_props(
        request.props,
        display_name=hook["display_name"],
        username=username,
        icon_url=icon_url,
        attachments=request.attachments,
    )
    draft = post_actions.Draft(
        message=request.text, props=props, post_type=request.post_type, set_online=False
    )
    try:
        return await post_actions.create_post(rt, creator, channel["id"], draft, as_hook=True)
    except errors.APIError as refused:
        # A mute or a read-only channel says so, rather than that the hook lacks permission.
        if refused.status_code == 403 and refused.error_id not in posting.POSTING_REFUSALS:
            raise _hook_error(
                403,
                "web.incoming_webhook.permissions.app_error",
                "The webhook's creator may not post in this channel.",
            ) from None
        raise


async def _target_channel(conn: AsyncConnection, hook: Row, name: str) -> Row | None:
    """The named channel of the hook's team (None for an @user, made separately)."""
    if name.startswith("@"):
        return None
    if not name:
        channel = await channel_store.get_channel(conn, hook["channel_id"])
    else:
        channel = await channel_store.get_channel_by_name(conn, hook["team_id"], name.lstrip("~"))
    if channel is None or channel["delete_at"]:
        raise _hook_error(404, "web.incoming_webhook.channel.app_error", "Couldn't find the channel.")
    return channel


async def _direct_channel(rt: Runtime, hook: Row, username: str) -> Row:
    async with rt.db.read() as conn:
        found = await user_store.get_users_by_usernames(conn, [username])
    if not found or found[0]["delete_at"]:
        raise _hook_error(400, "web.incoming_webhook.user.app_error", "Couldn't find the user.")
    if hook["channel_locked"]:
        raise _hook_error(
            403,
            "web.incoming_webhook.channel_locked.app_error",
            "This webhook is not permitted to post to the requested channel.",
        )
    return await channel_actions.get_or_create_direct(rt, hook["user_id"], hook["user_id"], found[0]["id"])


async def post_hook_answer(
    rt: Runtime, hook_id: str, fields: Mapping[str, Any], root_id: str, answer: Mapping[str, Any]
) -> None:
    """An outgoing hook receiver's answer: its `text` (or attachments) posted in the channel as
    the hook, in the thread when response_type is "comment". An answer that is not a message
    (wrong types, nothing to say) is dropped: the receiver was called, which is what counts."""
    text = answer.get("text")
    attachments = answer.get("attachments")
    text = text if isinstance(text, str) else ""
    attachments = attachments if isinstance(attachments, list) else []
    if not text.strip() and not attachments:
        return
    async with rt.db.read() as conn:
        hook = await webhook_store.get_hook(conn, OUTGOING, hook_id)
        if hook is None:
            return
        creator = await _creator(conn, hook["creator_id"])
    username, icon_url = _overrides(
        rt.settings,
        _text(answer, "username") or hook["username"],
        _text(answer, "icon_url") or hook["icon_url"],
    )
    extra = answer.get("props")
    props = webhook_props(
        extra if isinstance(extra, dict) else {},
        display_name=hook["display_name"],
        username=username,
        icon_url=icon_url,
        attachments=attachments,
    )
    post_type = _text(answer, "type")
    draft = post_actions.Draft(
        message=text[: rt.settings.max_post_size],
        root_id=root_id if answer.get("response_type") == "comment" else "",
        props=props,
        post_type=post_type if post_type.startswith("custom_") else "",
        set_online=False,
    )
    await post_actions.create_post(rt, creator, str(fields["channel_id"]), draft)


def _text(answer: Mapping[str, Any], name: str) -> str:
    value = answer.get(name)
    return value if isinstance(value, str) else ""
