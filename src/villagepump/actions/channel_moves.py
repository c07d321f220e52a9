"""Moving a channel to another team (Mattermost's POST /channels/{id}/move), for system admins.

Members who are not in the new team would be left in a channel of a team they cannot see: the
move is refused unless `force`, which first removes them (each removal said in the channel, as
a removal by the admin). Members' sidebars need no rewrite: a sidebar drops channels of other
teams and places new ones when it is next read (actions/categories.py).
"""

from villagepump import errors, permissions
from villagepump.actions.channels import remove_member_in, require_user
from villagepump.actions.posts import create_system_post_in
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import now_ms
from villagepump.moderation import audit
from villagepump.render.channels import render_channel
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import webhooks as webhook_store


async def move_channel(rt: Runtime, actor: Caller, channel_id: str, team_id: str, *, force: bool) -> Row:
    async with transaction(rt) as tx:
        permissions.require_system_admin(actor)
        channel = await permissions.require_channel(tx.conn, channel_id, lock=True)
        team = await permissions.require_team(tx.conn, team_id)
        if channel["type"] not in ("O", "P"):
            raise errors.bad_request(
                "api.channel.move_channel.type.invalid", "Direct and group messages cannot be moved."
            )
        if channel["delete_at"] or team["delete_at"]:
            raise errors.bad_request(
                "api.channel.move_channel.deleted.app_error",
                "An archived channel or team cannot take part in a move.",
            )
        if channel["team_id"] == team_id:
            return channel
        if await channel_store.get_channel_by_name(tx.conn, team_id, channel["name"]) is not None:
            raise errors.bad_request(
                "store.sql_channel.save_channel.exists.app_error",
                "A channel with that name already exists in the team.",
            )
        outsiders = await channel_store.members_outside_team(tx.conn, channel_id, team_id)
        if outsiders and not force:
            raise errors.bad_request(
                "app.channel.move_channel.members_do_not_match.error",
                "Cannot move a channel unless all its members are already members of the destination team.",
            )
        for user_id in outsiders:
            await remove_member_in(tx, channel, user_id, actor.user_id)
        await channel_store.update_channel(tx.conn, channel_id, {"team_id": team_id, "update_at": now_ms()})
        await webhook_store.move_channel_hooks(tx.conn, channel_id, team_id)
        moved = await channel_store.get_channel(tx.conn, channel_id)
        assert moved is not None
        old_team = await permissions.require_team(tx.conn, channel["team_id"])
        user = await require_user(tx, actor.user_id)
        await create_system_post_in(
            tx,
            moved,
            user,
            "system_move_channel",
            f"This channel has been moved to this team from {old_team['display_name']}.",
            {"username": user["username"], "old_team_id": channel["team_id"]},
        )
        tx.publish(
            Event(
                "channel_updated",
                {"channel": json_field(render_channel(moved)), "channel_id": channel_id},
                Broadcast(channel_id=channel_id),
            )
        )
        await audit.record(
            tx.conn,
            rt.settings,
            audit.CHANNEL_MOVED,
            target_id=channel_id,
            details={
                "from_team_id": channel["team_id"],
                "to_team_id": team_id,
                "removed_user_ids": outsiders,
            },
        )
    return moved
