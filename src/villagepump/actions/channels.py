"""Channels: creating, changing and archiving them, who is in them, and what members have read.

Each action that changes a channel or its members takes its actor and checks, inside its own
transaction, that they may (permissions.py, with the rows it read locked until it commits):
routes and slash commands call the same checked actions
(docs/decisions/0005-checks-inside-the-write.md).
"""

import hashlib
import re
from typing import Any

from villagepump import errors, permissions
from villagepump.actions import notifications as notification_actions
from villagepump.actions.categories import lock_sidebars_in
from villagepump.actions.posts import create_system_post_in
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller, is_guest
from villagepump.events.types import Broadcast, Event, MembershipChange, json_field
from villagepump.ids import new_id, now_ms
from villagepump.moderation import audit
from villagepump.render.channels import render_channel, render_channel_member
from villagepump.runtime import Runtime
from villagepump.store import Row, locks
from villagepump.store import categories as category_store
from villagepump.store import channel_moderations as moderation_store
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

_CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,64}$")
DEFAULT_CHANNEL = "town-square"
GROUP_MIN_USERS, GROUP_MAX_USERS = 3, 8
# Which member-editable properties a channel has, with their length limits (Mattermost's).
_PROPERTY_LIMITS = {"display_name": 64, "name": 64, "purpose": 250, "header": 1024}
_NOTIFY_PROPS = {
    "desktop",
    "email",
    "mark_unread",
    "push",
    "ignore_channel_mentions",
    "channel_auto_follow_threads",
    "desktop_threads",
    "push_threads",
    "email_threads",
    "desktop_sound",
    "desktop_notification_sound",
    "use_desktop_notification_sound",
}

# Mattermost's ChannelMember.IsValid: the values each level may take, and the error for another.
_NOTIFY_LEVELS = {
    "desktop": ({"default", "all", "mention", "none"}, "notify_level", "Invalid notify level."),
    "push": ({"default", "all", "mention", "none"}, "push_level", "Invalid push notification level."),
    "mark_unread": ({"all", "mention"}, "unread_level", "Invalid mark unread level."),
    "email": ({"default", "true", "false"}, "email_value", "Invalid email notification value."),
    "ignore_channel_mentions": (
        {"default", "off", "on"},
        "ignore_channel_mentions_value",
        "Invalid ignore channel mentions status.",
    ),
}


def check_notify_levels(props: dict[str, Any]) -> None:
    for key, (allowed, name, message) in _NOTIFY_LEVELS.items():
        if key in props and props[key] not in allowed:
            raise errors.bad_request(f"model.channel_member.is_valid.{name}.app_error", message)


def check_channel_name(name: object) -> str:
    # "__" is kept for direct message names (two user ids), so no channel can pose as one.
    if not isinstance(name, str) or not _CHANNEL_NAME.match(name) or "__" in name:
        raise errors.bad_request(
            "model.channel.is_valid.name.app_error",
            "Name must be 1 to 64 lowercase letters, digits, '-' or '_' (and no '__').",
        )
    return name


def check_channel_properties(values: dict[str, Any]) -> dict[str, Any]:
    for key, limit in _PROPERTY_LIMITS.items():
        if key in values and (not isinstance(values[key], str) or len(values[key]) > limit):
            raise errors.bad_request(f"model.channel.is_valid.{key}.app_error", f"Invalid {key}.")
    if "name" in values:
        check_channel_name(values["name"])
    if "display_name" in values:
        values["display_name"] = values["display_name"].strip()
        if not values["display_name"]:
            raise errors.bad_request("model.channel.is_valid.display_name.app_error", "Invalid display_name.")
    return values


async def create_channel(
    rt: Runtime,
    creator_id: str,
    *,
    team_id: str,
    name: str,
    display_name: str,
    channel_type: str,
    purpose: str = "",
    header: str = "",
) -> Row:
    """A public or private channel, with its creator as its first member and admin."""
    if channel_type not in ("O", "P"):
        raise errors.bad_request("model.channel.is_valid.type.app_error", "Channel type must be O or P.")
    check_channel_properties(
        {"name": name, "display_name": display_name, "purpose": purpose, "header": header}
    )
    async with transaction(rt) as tx:
        await permissions.require_not_guest(tx.conn, creator_id)
        team = await team_store.get_team(tx.conn, team_id)
        if team is None or team["delete_at"]:
            raise errors.not_found("team", "app.team.get.find.app_error")
        # A name already taken, even a moment ago by a concurrent request, is refused by the
        # channels' unique key (see actions/transaction.py).
        return await create_channel_in(
            tx,
            team_id=team_id,
            creator_id=creator_id,
            name=name,
            display_name=display_name.strip(),
            channel_type=channel_type,
            purpose=purpose,
            header=header,
        )


async def create_channel_in(
    tx: Transaction,
    *,
    team_id: str,
    creator_id: str,
    name: str,
    display_name: str,
    channel_type: str,
    header: str = "",
    purpose: str = "",
    add_creator: bool = True,
) -> Row:
    channel = await _insert_channel(
        tx,
        team_id=team_id,
        channel_type=channel_type,
        name=name,
        display_name=display_name,
        creator_id=creator_id,
        header=header,
        purpose=purpose,
    )
    assert channel is not None
    channel_id = channel["id"]
    if add_creator and creator_id:
        await add_member_in(tx, channel, creator_id, admin=True, actor_id=creator_id)
    # Others learn of a private channel only when they are added to it.
    audience = (
        Broadcast(team_id=team_id, guests_need_channel=channel_id)
        if channel_type == "O"
        else Broadcast(user_id=creator_id)
    )
    if channel_type == "O" or (add_creator and creator_id):
        tx.publish(Event("channel_created", {"channel_id": channel_id, "team_id": team_id}, audience))
    return channel


async def _insert_channel(
    tx: Transaction,
    *,
    team_id: str,
    channel_type: str,
    name: str,
    display_name: str,
    creator_id: str,
    header: str = "",
    purpose: str = "",
    if_name_free: bool = False,
) -> Row | None:
    """A new channel row, of any type, as stored; with `if_name_free`, None if the name is taken."""
    now = now_ms()
    values: dict[str, Any] = {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "team_id": team_id,
        "type": channel_type,
        "display_name": display_name,
        "name": name,
        "header": header,
        "purpose": purpose,
        "creator_id": creator_id,
        "props": {},
    }
    if not await channel_store.insert_channel(tx.conn, values, if_name_free=if_name_free):
        return None
    channel = await channel_store.get_channel(tx.conn, values["id"])
    assert channel is not None
    return channel


def _audience(channel: Row) -> Broadcast:
    """Who hears about changes to a channel: the team for a public one, else only its members."""
    if channel["type"] == "O":
        return Broadcast(team_id=channel["team_id"], guests_need_channel=channel["id"])
    return Broadcast(channel_id=channel["id"])


async def update_channel(rt: Runtime, actor: Caller, channel_id: str, values: dict[str, Any]) -> Row:
    """Changes name, display name, purpose or header (a direct message has only a header); the
    channel hears who changed the display name, header or purpose, from what to what."""
    async with transaction(rt) as tx:
        scene = await permissions.require_channel_manage(tx.conn, actor, channel_id, lock=True)
        values = check_channel_properties(values)
        channel = _require_live(scene.channel)
        if channel["type"] in ("D", "G"):
            values = {k: v for k, v in values.items() if k in ("header", "purpose")}
        if channel["name"] == DEFAULT_CHANNEL and values.get("name", DEFAULT_CHANNEL) != DEFAULT_CHANNEL:
            raise errors.bad_request(
                "api.channel.update_channel.tried.app_error", "The default channel cannot be renamed."
            )
        await channel_store.update_channel(tx.conn, channel_id, {**values, "update_at": now_ms()})
        updated = await channel_store.get_channel(tx.conn, channel_id)
        assert updated is not None
        tx.publish(
            Event(
                "channel_updated",
                {"channel": json_field(render_channel(updated)), "channel_id": channel_id},
                Broadcast(channel_id=channel_id),
            )
        )
        await _announce_changes(tx, channel, updated, actor.user_id)
    return updated


async def _announce_changes(tx: Transaction, old: Row, new: Row, actor_id: str) -> None:
    """In Mattermost's order (display name, header, purpose), a millisecond apart to keep it."""
    changed = [field for field in ("display_name", "header", "purpose") if old[field] != new[field]]
    if not changed:
        return
    actor = await require_user(tx, actor_id)
    name = actor["username"]
    for offset, field in enumerate(changed):
        before, after = old[field], new[field]
        if field == "display_name":
            post_type, props = (
                "system_displayname_change",
                {"old_displayname": before, "new_displayname": after},
            )
            message = f"{name} updated the channel display name from: {before} to: {after}"
        else:
            post_type, props = f"system_{field}_change", {f"old_{field}": before, f"new_{field}": after}
            message = _change_message(name, f"channel {field}", before, after)
        props["username"] = name
        await create_system_post_in(tx, new, actor, post_type, message, props, at=new["update_at"] + offset)


def _change_message(username: str, what: str, before: str, after: str) -> str:
    # Mattermost's wording (api.channel.post_update_channel_header_message_and_forget.*).
    if not before:
        return f"{username} updated the {what} to: {after}"
    if not after:
        return f"{username} removed the {what} (was: {before})"
    return f"{username} updated the {what} from: {before} to: {after}"


async def require_user(tx: Transaction, user_id: str) -> Row:
    """The user, deactivated or not (their name still goes in system messages)."""
    user = await user_store.get_user(tx.conn, user_id)
    if user is None:
        raise errors.not_found("user", "app.user.missing_account.const")
    return user


def _require_live(channel: Row) -> Row:
    """The channel, as its check locked it: changes to one channel (archiving it twice at once,
    two members joining or leaving) take turns, and each sees what the one before it did."""
    if channel["delete_at"]:
        raise errors.bad_request(
            "api.channel.update_channel.deleted.app_error", "The channel has been archived or deleted."
        )
    return channel


async def archive_channel(rt: Runtime, actor: Caller, channel_id: str) -> Row:
    async with transaction(rt) as tx:
        scene = await permissions.require_channel_manage(tx.conn, actor, channel_id, lock=True)
        channel = _require_live(scene.channel)
        if channel["type"] in ("D", "G"):
            raise errors.bad_request(
                "api.channel.delete_channel.type.invalid", "Direct and group messages cannot be archived."
            )
        if channel["name"] == DEFAULT_CHANNEL:
            raise errors.bad_request(
                "api.channel.delete_channel.cannot.app_error", "The default channel cannot be archived."
            )
        user = await require_user(tx, actor.user_id)
        # Said while the channel is still open, so its members read it as the last word.
        await create_system_post_in(
            tx,
            channel,
            user,
            "system_channel_deleted",
            f"{user['username']} archived the channel.",
            {"username": user["username"]},
        )
        now = now_ms()
        await channel_store.update_channel(tx.conn, channel_id, {"delete_at": now, "update_at": now})
        tx.publish(Event("channel_deleted", {"channel_id": channel_id, "delete_at": now}, _audience(channel)))
        archived = await channel_store.get_channel(tx.conn, channel_id)
    assert archived is not None
    return archived


async def restore_channel(rt: Runtime, actor: Caller, channel_id: str) -> Row:
    async with transaction(rt) as tx:
        channel = (await permissions.require_channel_restore(tx.conn, actor, channel_id, lock=True)).channel
        if not channel["delete_at"]:
            raise errors.bad_request(
                "api.channel.restore_channel.restored.app_error", "The channel is not archived."
            )
        await channel_store.update_channel(tx.conn, channel_id, {"delete_at": 0, "update_at": now_ms()})
        tx.publish(Event("channel_restored", {"channel_id": channel_id}, _audience(channel)))
        restored = await channel_store.get_channel(tx.conn, channel_id)
        assert restored is not None
        user = await require_user(tx, actor.user_id)
        await create_system_post_in(
            tx,
            restored,
            user,
            "system_channel_restored",
            f"{user['username']} unarchived the channel.",
            {"username": user["username"]},
        )
    return restored


_PRIVACY_MESSAGES = {
    "O": "This channel has been converted to a Public Channel and can be joined by any team member.",
    "P": "This channel has been converted to a Private Channel.",
}


async def convert_channel(rt: Runtime, actor: Caller, channel_id: str, channel_type: str) -> Row:
    """Makes a public channel private or a private one public; its members stay. As in Mattermost,
    the channel hears channel_updated, then the actor's system message, then the team hears
    channel_converted."""
    async with transaction(rt) as tx:
        scene = await permissions.require_channel_roles_manager(tx.conn, actor, channel_id, lock=True)
        if channel_type not in ("O", "P"):
            raise errors.bad_request(
                "api.channel.update_channel_privacy.invalid_privacy", "Privacy must be O or P."
            )
        channel = _require_live(scene.channel)
        if channel["type"] not in ("O", "P") or channel["name"] == DEFAULT_CHANNEL:
            raise errors.bad_request(
                "api.channel.convert_channel_to_private.default_channel_error",
                "This channel cannot be converted.",
            )
        if channel["type"] == channel_type:
            return channel
        await channel_store.update_channel(tx.conn, channel_id, {"type": channel_type, "update_at": now_ms()})
        updated = await channel_store.get_channel(tx.conn, channel_id)
        assert updated is not None
        # Only its members hear the details; the team hears that the channel changed kind.
        tx.publish(
            Event(
                "channel_updated",
                {"channel": json_field(render_channel(updated)), "channel_id": channel_id},
                Broadcast(channel_id=channel_id),
            )
        )
        user = await require_user(tx, actor.user_id)
        await create_system_post_in(
            tx,
            updated,
            user,
            "system_change_chan_privacy",
            _PRIVACY_MESSAGES[channel_type],
            {"username": user["username"]},
        )
        tx.publish(
            Event(
                "channel_converted",
                {"channel_id": channel_id},
                Broadcast(team_id=channel["team_id"], guests_need_channel=channel_id),
            )
        )
    return updated


async def add_member(rt: Runtime, actor: Caller, channel_id: str, user_id: str) -> Row:
    """Adds a user (joining, or added by `actor`) to a public or private channel. The user's team
    membership stays locked until the membership is in: a removal from the team waits, then
    takes them out of this channel too."""
    async with transaction(rt) as tx:
        scene = await permissions.require_channel_add_member(tx.conn, actor, channel_id, user_id, lock=True)
        channel = _require_live(scene.channel)
        if channel["type"] not in ("O", "P"):
            raise errors.bad_request(
                "api.channel.add_user_to_channel.type.app_error", "Cannot add a user to this channel type."
            )
        user = await user_store.get_user(tx.conn, user_id)
        if user is None or user["delete_at"]:
            raise errors.not_found("user", "app.user.missing_account.const")
        if not scene.in_team(user_id):
            raise errors.APIError(
                403, "api.channel.add_members.user_denied", "The user is not a member of the channel's team."
            )
        member = await add_member_in(tx, channel, user_id, actor_id=actor.user_id)
        assert member is not None
        return member


async def add_member_in(
    tx: Transaction,
    channel: Row,
    user_id: str,
    *,
    admin: bool = False,
    actor_id: str = "",
    announce: bool = True,
) -> Row | None:
    """Within a transaction: makes the user a member, reading everything already in the channel,
    and (if `announce`) tells the channel that they joined, or that `actor_id` added them.
    None if the channel was archived meanwhile (a team join passes its default channels by)."""
    existing = await channel_store.get_member(tx.conn, channel["id"], user_id)
    if existing is None:
        # The channel's row first, then the member's, as posting and leaving take them: a team
        # join (which adds to the default channels) and a join of one of them at once then
        # queue instead of deadlocking. Read again once locked: an archive may have come first.
        locked = await locks.lock_channel(tx.conn, channel["id"])
        assert locked is not None
        if locked["delete_at"]:
            return None
        guest = is_guest((await require_user(tx, user_id))["roles"])
        new_member = _new_member(locked, user_id, now_ms(), admin=admin, guest=guest)
        if await channel_store.insert_member(tx.conn, new_member):
            return await _announce_new_member(tx, locked, user_id, actor_id, announce)
    # A member already, perhaps since a moment ago: a second join adds nothing and says nothing.
    member = existing or await channel_store.get_member(tx.conn, channel["id"], user_id)
    assert member is not None
    return member


async def _announce_new_member(
    tx: Transaction, channel: Row, user_id: str, actor_id: str, announce: bool
) -> Row:
    tx.publish(
        Event(
            "user_added",
            {"user_id": user_id, "team_id": channel["team_id"]},
            Broadcast(channel_id=channel["id"]),
            membership=(MembershipChange("channel", channel["id"], user_id, True),),
        )
    )
    # After user_added: the new member's sockets are then listening to the channel.
    if announce:
        await _announce_join(tx, channel, user_id, actor_id)
    member = await channel_store.get_member(tx.conn, channel["id"], user_id)
    assert member is not None
    return member


async def _announce_join(tx: Transaction, channel: Row, user_id: str, actor_id: str = "") -> None:
    """ "hamlet joined the channel." or "hamlet added to the channel by iago.", as Mattermost says it."""
    user = await require_user(tx, user_id)
    if not actor_id or actor_id == user_id:
        await create_system_post_in(
            tx,
            channel,
            user,
            "system_join_channel",
            f"{user['username']} joined the channel.",
            {"username": user["username"]},
        )
        return
    actor = await require_user(tx, actor_id)
    await create_system_post_in(
        tx,
        channel,
        actor,
        "system_add_to_channel",
        f"{user['username']} added to the channel by {actor['username']}.",
        {
            "userId": actor["id"],
            "username": actor["username"],
            "addedUserId": user["id"],
            "addedUsername": user["username"],
        },
    )


def channel_member_roles(*, admin: bool = False, guest: bool = False) -> str:
    if guest:
        return "channel_guest"
    return "channel_user channel_admin" if admin else "channel_user"


def _new_member(
    channel: Row, user_id: str, now: int, *, admin: bool = False, guest: bool = False
) -> dict[str, Any]:
    return {
        "channel_id": channel["id"],
        "user_id": user_id,
        "roles": channel_member_roles(admin=admin and not guest, guest=guest),
        "scheme_admin": admin and not guest,
        "last_viewed_at": now,
        "msg_count": channel["total_msg_count"],
        "msg_count_root": channel["total_msg_count_root"],
        "mention_count": 0,
        "mention_count_root": 0,
        "urgent_mention_count": 0,
        "notify_props": {},
        "last_update_at": now,
    }


async def remove_member(rt: Runtime, actor: Caller, channel_id: str, user_id: str) -> None:
    """The user leaves (or `actor` removes them from) a public or private channel."""
    async with transaction(rt) as tx:
        # The channel and both memberships locked before anything is read or said: of two
        # removals at once the second finds no member and says nothing, and a remover demoted or
        # removed a moment before is refused.
        scene = await permissions.require_channel_remove_member(
            tx.conn, actor, channel_id, user_id, lock=True
        )
        channel = scene.channel
        if channel["type"] not in ("O", "P"):
            raise errors.bad_request(
                "api.channel.remove_channel_member.type.app_error",
                "Members cannot be removed from direct or group messages.",
            )
        if channel["name"] == DEFAULT_CHANNEL:
            raise errors.bad_request(
                "api.channel.remove.default.app_error", "Nobody can leave the default channel."
            )
        if scene.member(user_id) is None:
            raise errors.not_found("channel member", "app.channel.get_member.missing.app_error")
        members = await channel_store.member_user_ids(tx.conn, channel_id)
        if channel["type"] == "P" and members == [user_id] and not channel["delete_at"]:
            raise errors.bad_request(
                "api.channel.leave.last_member.app_error",
                "You are the only member left: archive the private channel instead of leaving it.",
            )
        await remove_member_in(tx, channel, user_id, actor.user_id)
        await audit.record_removal(
            tx.conn, rt.settings, actor, user_id, audit.USER_REMOVED_FROM_CHANNEL, {"channel_id": channel_id}
        )


async def remove_member_in(tx: Transaction, channel: Row, user_id: str, remover_id: str) -> None:
    # Before user_removed, so the one leaving still hears it. An archived channel takes no posts.
    if not channel["delete_at"]:
        await _announce_leave(tx, channel, user_id, remover_id)
    # Before the member and sidebar rows, in the order a sidebar write takes them.
    await lock_sidebars_in(tx, user_id)
    await channel_store.delete_member(tx.conn, channel["id"], user_id)
    await category_store.remove_channel_for_user(tx.conn, user_id, [channel["id"]])
    # The channel hears it without the removed user, who hears it on their own, as in Mattermost.
    tx.publish(
        Event(
            "user_removed",
            {"user_id": user_id, "remover_id": remover_id},
            Broadcast(channel_id=channel["id"], omit_users={user_id: True}),
            membership=(MembershipChange("channel", channel["id"], user_id, False),),
        )
    )
    tx.publish(
        Event(
            "user_removed",
            {"channel_id": channel["id"], "remover_id": remover_id},
            Broadcast(user_id=user_id),
        )
    )


async def _announce_leave(tx: Transaction, channel: Row, user_id: str, remover_id: str) -> None:
    user = await require_user(tx, user_id)
    # "@name": Mattermost writes the leaver's name as a mention, though system posts notify nobody.
    if remover_id == user_id:
        await create_system_post_in(
            tx,
            channel,
            user,
            "system_leave_channel",
            f"@{user['username']} left the channel.",
            {"username": user["username"]},
        )
        return
    remover = await require_user(tx, remover_id)
    await create_system_post_in(
        tx,
        channel,
        remover,
        "system_remove_from_channel",
        f"@{user['username']} removed from the channel.",
        {"removedUserId": user["id"], "removedUsername": user["username"]},
    )


def direct_channel_name(user_a: str, user_b: str) -> str:
    first, second = sorted((user_a, user_b))
    return f"{first}__{second}"


def group_channel_name(user_ids: list[str]) -> str:
    return hashlib.sha1("".join(sorted(user_ids)).encode()).hexdigest()


async def get_or_create_direct(rt: Runtime, creator_id: str, user_a: str, user_b: str) -> Row:
    """The direct message channel of two users (or one user with themselves), made on first use."""
    async with transaction(rt) as tx:
        return await get_or_create_direct_in(tx, creator_id, user_a, user_b)


async def get_or_create_direct_in(tx: Transaction, creator_id: str, user_a: str, user_b: str) -> Row:
    name = direct_channel_name(user_a, user_b)
    existing = await channel_store.get_channel_by_name(tx.conn, "", name)
    if existing is not None:
        return existing
    users = await _require_active_users(tx, [user_a, user_b])
    await _require_guests_may_reach(tx, creator_id, users)
    channel, created = await _create_private_conversation(tx, "D", name, "", [user_a, user_b], creator_id)
    if created:
        other = user_b if creator_id == user_a else user_a
        tx.publish(
            Event(
                "direct_added",
                {"creator_id": creator_id, "teammate_id": other},
                Broadcast(channel_id=channel["id"]),
                membership=_joins(channel["id"], [user_a, user_b]),
            )
        )
    return channel


async def get_or_create_group(rt: Runtime, creator_id: str, user_ids: list[str]) -> Row:
    """The group message channel of 3 to 8 users, the creator among them."""
    members = sorted(set(user_ids) | {creator_id})
    if not GROUP_MIN_USERS <= len(members) <= GROUP_MAX_USERS:
        raise errors.bad_request(
            "api.channel.create_group.bad_size.app_error",
            f"Group messages must have between {GROUP_MIN_USERS} and {GROUP_MAX_USERS} users.",
        )
    name = group_channel_name(members)
    async with transaction(rt) as tx:
        existing = await channel_store.get_channel_by_name(tx.conn, "", name)
        if existing is not None:
            return existing
        users = await _require_active_users(tx, members)
        await _require_guests_may_reach(tx, creator_id, users)
        display_name = ", ".join(sorted(u["username"] for u in users))
        channel, created = await _create_private_conversation(
            tx, "G", name, display_name, members, creator_id
        )
        if created:
            tx.publish(
                Event(
                    "group_added",
                    {"teammate_ids": json_field([m for m in members if m != creator_id])},
                    Broadcast(channel_id=channel["id"]),
                    membership=_joins(channel["id"], members),
                )
            )
        return channel


def _joins(channel_id: str, user_ids: list[str]) -> tuple[MembershipChange, ...]:
    return tuple(MembershipChange("channel", channel_id, uid, True) for uid in dict.fromkeys(user_ids))


async def _require_active_users(tx: Transaction, user_ids: list[str]) -> list[Row]:
    wanted = set(user_ids)
    users = [u for u in await user_store.get_users(tx.conn, wanted) if not u["delete_at"]]
    if len(users) != len(wanted):
        raise errors.bad_request("api.channel.create_channel.user_missing", "Some users do not exist.")
    return users


async def _require_guests_may_reach(tx: Transaction, creator_id: str, users: list[Row]) -> None:
    """A guest opens direct and group messages only with people they already share a channel
    with (Mattermost's view_members restriction for guests), read from the roles stored now."""
    creator = next((u for u in users if u["id"] == creator_id), None)
    if creator is None:
        creator = await require_user(tx, creator_id)
    if not is_guest(creator["roles"]):
        return
    others = {u["id"] for u in users} - {creator_id}
    if others - await channel_store.users_sharing_a_channel(tx.conn, creator_id, others):
        raise errors.forbidden()


async def _create_private_conversation(
    tx: Transaction, channel_type: str, name: str, display_name: str, user_ids: list[str], creator_id: str
) -> tuple[Row, bool]:
    """The conversation with its members, and whether this call made it: its name is a unique
    key, so when two requests open the same conversation at once, the second one gets the
    first's channel (committed meanwhile) and makes nothing."""
    channel = await _insert_channel(
        tx,
        team_id="",
        channel_type=channel_type,
        name=name,
        display_name=display_name,
        creator_id=creator_id,
        if_name_free=True,
    )
    if channel is None:
        existing = await channel_store.get_channel_by_name(tx.conn, "", name)
        assert existing is not None
        return existing, False
    guests = {u["id"] for u in await user_store.get_users(tx.conn, set(user_ids)) if is_guest(u["roles"])}
    for user_id in dict.fromkeys(user_ids):
        member = _new_member(channel, user_id, channel["create_at"], guest=user_id in guests)
        await channel_store.insert_member(tx.conn, member)
    return channel, True


async def view_channels(rt: Runtime, user_id: str, channel_ids: list[str]) -> dict[str, int]:
    """Marks channels the user belongs to as read now; returns when, per channel."""
    if not channel_ids:
        return {}
    now = now_ms()
    async with transaction(rt) as tx:
        # Only the user's own memberships have mentions to clear, and only they are marked.
        await notification_actions.queue_clear_pushes(tx, rt.settings, user_id, channel_ids)
        viewed = set(await channel_store.mark_viewed(tx.conn, channel_ids, user_id, now))
        mine = [cid for cid in dict.fromkeys(channel_ids) if cid in viewed]
        if not mine:
            return {}
        times = {cid: now for cid in mine}
        for cid in mine:
            tx.publish(Event("channel_viewed", {"channel_id": cid}, Broadcast(user_id=user_id)))
        tx.publish(Event("multiple_channels_viewed", {"channel_times": times}, Broadcast(user_id=user_id)))
    return times


async def update_notify_props(
    rt: Runtime, actor: Caller, channel_id: str, user_id: str, props: dict[str, Any]
) -> Row:
    permissions.require_self_or_admin(actor, user_id)
    for key, value in props.items():
        if key not in _NOTIFY_PROPS or not isinstance(value, str) or len(value) > 64:
            raise errors.invalid_body(key)
    check_notify_levels(props)
    async with transaction(rt) as tx:
        member = await permissions.require_channel_member_settings(tx.conn, actor, channel_id, user_id)
        merged = {**(member["notify_props"] or {}), **props}
        await channel_store.update_member(
            tx.conn, channel_id, user_id, {"notify_props": merged, "last_update_at": now_ms()}
        )
        return await _publish_member_updated(tx, channel_id, user_id)


async def set_member_admin(rt: Runtime, actor: Caller, channel_id: str, user_id: str, admin: bool) -> Row:
    """Makes a member a channel admin, or no longer one; an admin demoted a moment before (or
    removed) changes nobody's role."""
    async with transaction(rt) as tx:
        scene = await permissions.require_channel_roles_manager(
            tx.conn, actor, channel_id, [user_id], lock=True
        )
        member = scene.member(user_id)
        if member is None:
            raise errors.not_found("channel member", "app.channel.get_member.missing.app_error")
        guest = "channel_guest" in member["roles"].split()
        if guest and admin:
            raise errors.bad_request(
                "api.channel.update_channel_member_roles.guest_and_user.app_error",
                "A guest cannot be made a channel admin; promote them to a member first.",
            )
        roles = channel_member_roles(admin=admin, guest=guest)
        await channel_store.update_member(
            tx.conn,
            channel_id,
            user_id,
            {"roles": roles, "scheme_admin": admin, "last_update_at": now_ms()},
        )
        return await _publish_member_updated(tx, channel_id, user_id)


async def _publish_member_updated(tx: Transaction, channel_id: str, user_id: str) -> Row:
    member = await channel_store.get_member(tx.conn, channel_id, user_id)
    assert member is not None
    moderation = await moderation_store.get_moderation(tx.conn, channel_id)
    tx.publish(
        Event(
            "channel_member_updated",
            {"channelMember": json_field(render_channel_member(member, moderation))},
            Broadcast(user_id=user_id),
        )
    )
    return member
