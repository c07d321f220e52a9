"""Teams and their members. Each action that changes a team or its members takes its actor and
checks, inside its own transaction, that they may (docs/decisions/0005-checks-inside-the-write.md)."""

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors, permissions
from villagepump.actions import channels as channel_actions
from villagepump.actions.categories import lock_sidebars_in
from villagepump.actions.posts import create_system_post_in
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller, is_guest
from villagepump.events.types import Broadcast, Event, MembershipChange, json_field
from villagepump.ids import new_id, now_ms
from villagepump.moderation import audit
from villagepump.render.teams import render_team, render_team_member
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import categories as category_store
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

_TEAM_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,62}[a-z0-9]$")
# Every team starts with these, and every new member joins them (Mattermost's defaults).
DEFAULT_CHANNELS = (("town-square", "Town Square"), ("off-topic", "Off-Topic"))
# What PUT /teams/{id} and /patch may change, with Mattermost's length limits.
_EDITABLE = {"display_name": 64, "description": 255, "company_name": 64, "allowed_domains": 1000}


def check_team_name(name: object) -> str:
    if not isinstance(name, str) or not _TEAM_NAME.match(name) or "--" in name:
        raise errors.bad_request(
            "model.team.is_valid.url.app_error",
            "Team name must be 2 to 64 lowercase letters, digits or dashes, starting and ending with a letter or digit.",
        )
    return name


async def create_team(
    rt: Runtime, creator_id: str, name: str, display_name: str, team_type: str = "O"
) -> Row:
    """A team with its default channels; the creator becomes its first admin. The operator on
    the shell (an empty `creator_id`) makes a team with no members yet."""
    name = check_team_name(name)
    if not isinstance(display_name, str) or not 1 <= len(display_name.strip()) <= 64:
        raise errors.bad_request("model.team.is_valid.name.app_error", "Invalid display name.")
    if team_type not in ("O", "I"):
        raise errors.bad_request("model.team.is_valid.type.app_error", "Invalid team type.")
    now = now_ms()
    team_id = new_id()
    async with transaction(rt) as tx:
        await permissions.require_not_guest(tx.conn, creator_id)
        # A name already taken is refused by the teams' unique key (see actions/transaction.py).
        await team_store.insert_team(
            tx.conn,
            {
                "id": team_id,
                "create_at": now,
                "update_at": now,
                "delete_at": 0,
                "display_name": display_name.strip(),
                "name": name,
                "type": team_type,
                "invite_id": new_id(),
                "invite_id_at": now,
                "allow_open_invite": team_type == "O",
            },
        )
        for channel_name, channel_display_name in DEFAULT_CHANNELS:
            await channel_actions.create_channel_in(
                tx,
                team_id=team_id,
                creator_id=creator_id,
                name=channel_name,
                display_name=channel_display_name,
                channel_type="O",
                add_creator=False,
            )
        if creator_id:
            await add_member_in(tx, team_id, creator_id, admin=True)
        team = await team_store.get_team(tx.conn, team_id)
    assert team is not None
    return team


async def add_member_in(
    tx: Transaction,
    team_id: str,
    user_id: str,
    *,
    admin: bool = False,
    actor_id: str = "",
    default_channels: bool = True,
) -> Row:
    """Within a transaction: adds the user to the team and (unless they are a guest, or
    `default_channels` is off) its default channels, telling the team's town square that they joined
    (or that `actor_id` added them), as Mattermost does."""
    team = await team_store.get_team(tx.conn, team_id)
    if team is None or team["delete_at"]:
        raise errors.not_found("team", "app.team.get.find.app_error")
    existing = await team_store.get_active_member(tx.conn, team_id, user_id)
    if existing is not None:
        return existing
    guest = is_guest((await channel_actions.require_user(tx, user_id))["roles"])
    joined = await team_store.add_member(
        tx.conn,
        {
            "team_id": team_id,
            "user_id": user_id,
            "roles": team_member_roles(admin=admin and not guest, guest=guest),
            "scheme_admin": admin and not guest,
            "create_at": now_ms(),
            "delete_at": 0,
        },
    )
    if not joined:
        # Added by a concurrent request a moment ago: this one adds nothing and says nothing.
        member = await team_store.get_member(tx.conn, team_id, user_id)
        assert member is not None
        return member
    tx.publish(
        Event(
            "added_to_team",
            {"team_id": team_id, "user_id": user_id},
            Broadcast(user_id=user_id),
            membership=(MembershipChange("team", team_id, user_id, True),),
        )
    )
    if guest or not default_channels:
        # As in Mattermost, a guest joins no channel by joining a team, only those they are added
        # to; so does someone invited to named channels.
        member = await team_store.get_member(tx.conn, team_id, user_id)
        assert member is not None
        return member
    for channel_name, _ in DEFAULT_CHANNELS:
        channel = await channel_store.get_channel_by_name(tx.conn, team_id, channel_name)
        if channel is not None and not channel["delete_at"]:
            town_square = channel_name == channel_actions.DEFAULT_CHANNEL
            await channel_actions.add_member_in(
                tx, channel, user_id, actor_id=actor_id, announce=not town_square
            )
            if town_square:
                await _announce_team_join(tx, channel, user_id, actor_id)
    member = await team_store.get_member(tx.conn, team_id, user_id)
    assert member is not None
    return member


def team_member_roles(*, admin: bool = False, guest: bool = False) -> str:
    if guest:
        return "team_guest"
    return "team_user team_admin" if admin else "team_user"


async def _announce_team_join(tx: Transaction, town_square: Row, user_id: str, actor_id: str) -> None:
    user = await channel_actions.require_user(tx, user_id)
    if not actor_id or actor_id == user_id:
        await create_system_post_in(
            tx,
            town_square,
            user,
            "system_join_team",
            f"{user['username']} joined the team.",
            {"username": user["username"]},
        )
        return
    actor = await channel_actions.require_user(tx, actor_id)
    await create_system_post_in(
        tx,
        town_square,
        actor,
        "system_add_to_team",
        f"{user['username']} added to the team by {actor['username']}.",
        {
            "userId": actor["id"],
            "username": actor["username"],
            "addedUserId": user["id"],
            "addedUsername": user["username"],
        },
    )


async def add_member(rt: Runtime, actor: Caller, team_id: str, user_id: str) -> Row:
    """POST /teams/{id}/members: Mattermost announces this as the user joining, whoever asked."""
    async with transaction(rt) as tx:
        await permissions.require_team_adder(
            tx.conn,
            actor,
            team_id,
            [user_id],
            restricted_to_admins=rt.settings.restrict_team_invite_to_admins,
            lock=True,
        )
        await _require_active_user(tx, user_id)
        return await add_member_in(tx, team_id, user_id)


async def add_members(rt: Runtime, actor: Caller, team_id: str, user_ids: list[str]) -> list[Row]:
    """The batch form: each user is announced as added by `actor`."""
    actor_id = actor.user_id
    async with transaction(rt) as tx:
        await permissions.require_team_adder(
            tx.conn,
            actor,
            team_id,
            user_ids,
            restricted_to_admins=rt.settings.restrict_team_invite_to_admins,
            lock=True,
        )
        for user_id in user_ids:
            await _require_active_user(tx, user_id)
        # In one order whatever the request's, so two batches naming the same users at once
        # take the memberships' locks in turn instead of each waiting for the other.
        added = {
            user_id: await add_member_in(tx, team_id, user_id, actor_id=actor_id)
            for user_id in sorted(set(user_ids))
        }
        return [added[user_id] for user_id in dict.fromkeys(user_ids)]


_HOUR_MS = 3600 * 1000


async def team_for_invite(conn: AsyncConnection, rt: Runtime, invite_id: str) -> Row | None:
    """The team an invite link leads to, or None: an unknown id (regenerated since), an archived
    team, or a link older than VillagepumpSettings.InviteLinkExpiryHours all look the same."""
    team = await team_store.get_team_by_invite_id(conn, invite_id)
    if team is None or team["delete_at"]:
        return None
    hours = rt.settings.invite_link_expiry_hours
    if hours > 0 and now_ms() - team["invite_id_at"] > hours * _HOUR_MS:
        return None
    return team


async def join_by_invite(rt: Runtime, actor: Caller, invite_id: str) -> Row:
    async with transaction(rt) as tx:
        team = await team_for_invite(tx.conn, rt, invite_id)
        if team is None:
            raise errors.not_found("team", "app.team.get_by_invite_id.finding.app_error")
        # Guests join teams only when someone adds them (add_user_to_team is not theirs).
        await permissions.require_not_guest(tx.conn, actor.user_id)
        return await add_member_in(tx, team["id"], actor.user_id)


async def _require_active_user(tx: Transaction, user_id: str) -> None:
    user = await user_store.get_user(tx.conn, user_id)
    if user is None or user["delete_at"]:
        raise errors.not_found("user", "app.user.missing_account.const")


async def remove_member(rt: Runtime, actor: Caller, team_id: str, user_id: str) -> None:
    """The user leaves the team (or `actor` removes them) and every channel of it; DMs stay.
    Their membership is locked first, so that of two removals at once the second finds no
    member and says nothing, and a channel join checking it waits and is then refused."""
    remover_id = actor.user_id
    async with transaction(rt) as tx:
        await permissions.require_team_member_removal(tx.conn, actor, team_id, user_id, lock=True)
        # Said while they are still in the town square, so they hear it before leave_team.
        await _announce_team_leave(tx, team_id, user_id, remover_id)
        channel_ids = await channel_store.team_channel_ids_for_user(tx.conn, team_id, user_id)
        await lock_sidebars_in(tx, user_id)
        await channel_store.delete_members(tx.conn, channel_ids, user_id)
        await category_store.remove_channel_for_user(tx.conn, user_id, channel_ids)
        await team_store.mark_member_left(tx.conn, team_id, user_id, now_ms())
        leaves = [MembershipChange("channel", cid, user_id, False) for cid in channel_ids]
        leaves.append(MembershipChange("team", team_id, user_id, False))
        tx.publish(
            Event(
                "leave_team",
                {"user_id": user_id, "team_id": team_id, "remover_id": remover_id},
                Broadcast(team_id=team_id),
                membership=tuple(leaves),
            )
        )
        await audit.record_removal(
            tx.conn, rt.settings, actor, user_id, audit.USER_REMOVED_FROM_TEAM, {"team_id": team_id}
        )


async def _announce_team_leave(tx: Transaction, team_id: str, user_id: str, remover_id: str) -> None:
    town_square = await channel_store.get_channel_by_name(tx.conn, team_id, channel_actions.DEFAULT_CHANNEL)
    if town_square is None or town_square["delete_at"]:
        return
    user = await channel_actions.require_user(tx, user_id)
    # Mattermost posts both as the user who left, with only their username in props.
    left = remover_id == user_id
    await create_system_post_in(
        tx,
        town_square,
        user,
        "system_leave_team" if left else "system_remove_from_team",
        f"{user['username']} {'left' if left else 'removed from'} the team.",
        {"username": user["username"]},
    )


async def set_member_admin(rt: Runtime, actor: Caller, team_id: str, user_id: str, admin: bool) -> Row:
    async with transaction(rt) as tx:
        _, members = await permissions.require_team_admin_locked(tx.conn, actor, team_id, [user_id])
        member = members.get(user_id)
        if member is None or member["delete_at"]:
            raise errors.not_found("team member", "app.team.get_member.missing.app_error")
        guest = "team_guest" in member["roles"].split()
        if guest and admin:
            raise errors.bad_request(
                "api.team.update_team_member_roles.guest_and_user.app_error",
                "A guest cannot be made a team admin; promote them to a member first.",
            )
        roles = team_member_roles(admin=admin, guest=guest)
        await team_store.update_member(tx.conn, team_id, user_id, {"roles": roles, "scheme_admin": admin})
        updated = await team_store.get_member(tx.conn, team_id, user_id)
        assert updated is not None
        tx.publish(
            Event(
                "memberrole_updated",
                {"member": json_field(render_team_member(updated))},
                Broadcast(user_id=user_id),
            )
        )
    return updated


def check_team_changes(values: dict[str, Any]) -> dict[str, Any]:
    """The editable fields present in a PUT or patch body, validated."""
    changes: dict[str, Any] = {}
    for key, limit in _EDITABLE.items():
        if key in values and values[key] is not None:
            if not isinstance(values[key], str) or len(values[key]) > limit:
                raise errors.bad_request(f"model.team.is_valid.{key}.app_error", f"Invalid {key}.")
            changes[key] = values[key].strip() if key == "display_name" else values[key]
    if "display_name" in changes and not changes["display_name"]:
        raise errors.bad_request("model.team.is_valid.name.app_error", "Invalid display name.")
    if values.get("allow_open_invite") is not None:
        if not isinstance(values["allow_open_invite"], bool):
            raise errors.invalid_body("allow_open_invite")
        # Mattermost keeps the two in step: an open team is one anyone may join.
        changes["allow_open_invite"] = values["allow_open_invite"]
        changes["type"] = "O" if values["allow_open_invite"] else "I"
    return changes


async def update_team(rt: Runtime, actor: Caller, team_id: str, values: dict[str, Any]) -> Row:
    """PUT and patch: the editable fields `values` names, checked once the actor is known to be
    a team admin."""
    async with transaction(rt) as tx:
        await _require_live_team(tx, actor, team_id)
        changes = check_team_changes(values)
        await team_store.update_team(tx.conn, team_id, {**changes, "update_at": now_ms()})
        return await _publish_team(tx, "update_team", team_id)


async def set_privacy(rt: Runtime, actor: Caller, team_id: str, privacy: str) -> Row:
    changes = privacy_changes(privacy)
    async with transaction(rt) as tx:
        await _require_live_team(tx, actor, team_id)
        await team_store.update_team(tx.conn, team_id, {**changes, "update_at": now_ms()})
        return await _publish_team(tx, "update_team", team_id)


async def regenerate_invite_id(rt: Runtime, actor: Caller, team_id: str) -> Row:
    """A new invitation link; the old one stops working."""
    async with transaction(rt) as tx:
        await _require_live_team(tx, actor, team_id)
        await team_store.update_team(
            tx.conn, team_id, {"invite_id": new_id(), "invite_id_at": now_ms(), "update_at": now_ms()}
        )
        return await _publish_team(tx, "update_team", team_id)


async def archive_team(rt: Runtime, actor: Caller, team_id: str) -> Row:
    async with transaction(rt) as tx:
        await _require_live_team(tx, actor, team_id)
        now = now_ms()
        await team_store.update_team(tx.conn, team_id, {"delete_at": now, "update_at": now})
        return await _publish_team(tx, "delete_team", team_id)


async def restore_team(rt: Runtime, actor: Caller, team_id: str) -> Row:
    async with transaction(rt) as tx:
        team, _ = await permissions.require_team_admin_locked(tx.conn, actor, team_id)
        if not team["delete_at"]:
            raise errors.bad_request(
                "api.team.restore_team.not_deleted.app_error", "The team is not archived."
            )
        await team_store.update_team(tx.conn, team_id, {"delete_at": 0, "update_at": now_ms()})
        return await _publish_team(tx, "restore_team", team_id)


def privacy_changes(privacy: str) -> dict[str, Any]:
    if privacy not in ("O", "I"):
        raise errors.bad_request(
            "api.team.update_team_privacy.invalid_privacy.app_error", "Privacy must be O or I."
        )
    return {"type": privacy, "allow_open_invite": privacy == "O"}


async def _require_live_team(tx: Transaction, actor: Caller, team_id: str) -> Row:
    """The team, locked, if the actor is its admin; 404 once archived."""
    team, _ = await permissions.require_team_admin_locked(tx.conn, actor, team_id)
    if team["delete_at"]:
        raise errors.not_found("team", "app.team.get.find.app_error")
    return team


async def _publish_team(tx: Transaction, event: str, team_id: str) -> Row:
    team = await team_store.get_team(tx.conn, team_id)
    assert team is not None
    # The invite id is a key to the team; events go to every member, so it stays out.
    tx.publish(
        Event(event, {"team": json_field(render_team(team, show_invite=False))}, Broadcast(team_id=team_id))
    )
    return team
