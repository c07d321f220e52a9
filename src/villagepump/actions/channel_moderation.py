"""Read-only (announcement) channels: Mattermost's channel moderation, on its wire.

Mattermost lists per channel, for each moderated permission, which of guests, members and admins
have it ({name, roles: {guests, members, admins: {value, enabled}}}); admins always do. We keep
`create_post` and `create_reactions` as Mattermost has them, and add `reply_to_threads`: with
create_post off for members, whether they may still reply in threads (a channel of
announcements that people discuss under each one). Enforced in moderation/posting.py.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors, permissions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import now_ms
from villagepump.moderation import audit
from villagepump.render.channels import render_channel_member, roles_as_seen
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channel_moderations as moderation_store
from villagepump.store import channels as channel_store

# The wire's permission names and what each one is in the table.
PERMISSIONS = {"create_post": "post", "create_reactions": "react", "reply_to_threads": "reply"}
ROLES = ("guests", "members")


def render_moderations(row: Row | None) -> list[dict[str, Any]]:
    flags = row if row is not None else moderation_store.UNRESTRICTED
    rendered = []
    for name, what in PERMISSIONS.items():
        roles: dict[str, Any] = {"admins": {"value": True, "enabled": False}}
        for role in ROLES:
            value = bool(flags[f"{role}_{what}"])
            # A reply is a post: while posting is open, replying is too and cannot be closed alone.
            enabled = what != "reply" or not flags[f"{role}_post"]
            roles[role] = {"value": value or not enabled, "enabled": enabled}
        rendered.append({"name": name, "roles": roles})
    return rendered


def parse_patch(body: object) -> list[tuple[str, str, bool]]:
    """[{name, roles: {members?: bool, guests?: bool}}] as Mattermost's ChannelModerationPatch."""
    if not isinstance(body, list) or len(body) > 10:
        raise errors.invalid_body()
    changes: list[tuple[str, str, bool]] = []
    for item in body:
        name = item.get("name") if isinstance(item, dict) else None
        roles = item.get("roles") if isinstance(item, dict) else None
        if name not in PERMISSIONS or not isinstance(roles, dict):
            raise errors.bad_request(
                "api.channel.patch_channel_moderations.permission.app_error",
                "Unknown channel moderation permission.",
            )
        for role, value in roles.items():
            if role not in ROLES or not isinstance(value, bool):
                raise errors.invalid_body("roles")
            changes.append((PERMISSIONS[str(name)], role, value))
    return changes


async def require_moderations_manager(conn: AsyncConnection, actor: Caller, channel_id: str) -> Row:
    """Channel, team and system admins moderate a public or private channel."""
    scene = await permissions.require_channel_roles_manager(conn, actor, channel_id, lock=True)
    return scene.channel


async def get_moderations(rt: Runtime, actor: Caller, channel_id: str) -> list[dict[str, Any]]:
    """Anyone who can read the channel reads its moderation: the clients hide the composer."""
    async with rt.db.read() as conn:
        await permissions.require_channel_read(conn, actor, channel_id)
        return render_moderations(await moderation_store.get_moderation(conn, channel_id))


async def patch_moderations(
    rt: Runtime, actor: Caller, channel_id: str, body: object
) -> list[dict[str, Any]]:
    """`body` is the request's, checked once the actor is known to moderate the channel, so
    that an outsider hears only a refusal."""
    async with transaction(rt) as tx:
        channel = await require_moderations_manager(tx.conn, actor, channel_id)
        changes = parse_patch(body)
        current = await moderation_store.get_moderation(tx.conn, channel_id)
        flags = {
            column: bool((current or moderation_store.UNRESTRICTED)[column])
            for column in moderation_store.FLAGS.values()
        }
        for what, role, value in changes:
            flags[f"{role}_{what}"] = value
        await moderation_store.set_moderation(tx.conn, channel_id, flags, now_ms())
        await audit.record(
            tx.conn, rt.settings, audit.CHANNEL_MODERATION_CHANGED, target_id=channel_id, details=flags
        )
        moderation = await moderation_store.get_moderation(tx.conn, channel_id)
        rendered = render_moderations(moderation)
        # Our web client reads the moderations again on this.
        tx.publish(
            Event(
                "channel_scheme_updated",
                {"channel_id": channel_id, "moderations": json_field(rendered)},
                Broadcast(channel_id=channel["id"]),
            )
        )
        await _publish_roles_seen(tx, channel_id, current, moderation)
    return rendered


async def _publish_roles_seen(
    tx: Transaction, channel_id: str, before: Row | None, after: Row | None
) -> None:
    """Each member whose roles as clients see them changed (render/channels.py) hears their
    membership again, as Mattermost tells every member after a moderation change: the mobile
    app takes the new `roles` from channel_member_updated, fetches the roles it does not know
    and hides or shows its composer (mattermost-mobile app/actions/websocket/channel.ts
    handleChannelMemberUpdatedEvent)."""
    for member in await channel_store.members_of(tx.conn, channel_id):
        if roles_as_seen(member["roles"], before) == roles_as_seen(member["roles"], after):
            continue
        tx.publish(
            Event(
                "channel_member_updated",
                {"channelMember": json_field(render_channel_member(member, after))},
                Broadcast(user_id=member["user_id"]),
            )
        )
