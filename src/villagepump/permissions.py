"""The one place that knows who may do what. Routes call a `require_*` before any action.

Each check returns what it loaded, so a route does not fetch the same row twice. A thing that
does not exist is 404; one that exists but the caller may not see is 403, and reveals nothing
of its content.
"""

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.auth import Caller
from villagepump.roles import has_permission
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import posts as post_store
from villagepump.store import teams as team_store


def require_system_admin(caller: Caller) -> None:
    if not caller.is_system_admin:
        raise errors.forbidden()


def require_self_or_admin(caller: Caller, user_id: str) -> None:
    if caller.user_id != user_id and not caller.is_system_admin:
        raise errors.forbidden()


def require_self(caller: Caller, user_id: str) -> None:
    if caller.user_id != user_id:
        raise errors.forbidden()


async def require_team(conn: AsyncConnection, team_id: str) -> Row:
    team = await team_store.get_team(conn, team_id)
    if team is None:
        raise errors.not_found("team", "app.team.get.find.app_error")
    return team


async def require_team_member(conn: AsyncConnection, caller: Caller, team_id: str) -> Row:
    """The team, if the caller belongs to it (system admins may act in every team)."""
    team = await require_team(conn, team_id)
    if caller.is_system_admin:
        return team
    if await team_store.get_active_member(conn, team_id, caller.user_id) is None:
        raise errors.forbidden()
    return team


async def require_team_admin(conn: AsyncConnection, caller: Caller, team_id: str) -> Row:
    team = await require_team(conn, team_id)
    if caller.is_system_admin:
        return team
    member = await team_store.get_active_member(conn, team_id, caller.user_id)
    if member is None or not member["scheme_admin"]:
        raise errors.forbidden()
    return team


async def is_team_admin(conn: AsyncConnection, caller: Caller, team_id: str) -> bool:
    if caller.is_system_admin:
        return True
    member = await team_store.get_active_member(conn, team_id, caller.user_id)
    return member is not None and bool(member["scheme_admin"])


async def require_channel(conn: AsyncConnection, channel_id: str) -> Row:
    channel = await channel_store.get_channel(conn, channel_id)
    if channel is None:
        raise errors.not_found("channel", "app.channel.get.existing.app_error")
    return channel


async def can_read_channel(conn: AsyncConnection, caller: Caller, channel: Row) -> bool:
    """Members read every channel; team members also read public channels they have not joined."""
    if await channel_store.get_member(conn, channel["id"], caller.user_id) is not None:
        return True
    if channel["type"] == "O":
        if caller.is_system_admin:
            return True
        return await team_store.get_active_member(conn, channel["team_id"], caller.user_id) is not None
    return False


async def require_channel_read(conn: AsyncConnection, caller: Caller, channel_id: str) -> Row:
    channel = await require_channel(conn, channel_id)
    if not await can_read_channel(conn, caller, channel):
        raise errors.forbidden()
    return channel


async def require_channel_member(conn: AsyncConnection, caller: Caller, channel_id: str) -> tuple[Row, Row]:
    """The channel and the caller's membership, for acting in it (posting, reacting)."""
    channel = await require_channel(conn, channel_id)
    member = await channel_store.get_member(conn, channel_id, caller.user_id)
    if member is None:
        raise errors.forbidden()
    return channel, member


async def can_manage_channel(conn: AsyncConnection, caller: Caller, channel: Row) -> bool:
    """Change a channel's properties or its members: any member of an open or private channel
    (Mattermost's default scheme), a team admin, or a system admin."""
    if caller.is_system_admin:
        return True
    if channel["type"] in ("O", "P") and await is_team_admin(conn, caller, channel["team_id"]):
        return True
    member = await channel_store.get_member(conn, channel["id"], caller.user_id)
    return member is not None


async def require_post_read(conn: AsyncConnection, caller: Caller, post_id: str) -> tuple[Row, Row]:
    """The post and its channel, if the caller may read that channel."""
    post = await post_store.get_post(conn, post_id)
    if post is None or post["delete_at"]:
        raise errors.not_found("post", "app.post.get.app_error")
    channel = await require_channel_read(conn, caller, post["channel_id"])
    return post, channel


async def can_act_on_others_posts(
    conn: AsyncConnection, caller: Caller, channel: Row, permission: str
) -> bool:
    """edit_others_posts / delete_others_posts: team and system admins, per the default scheme."""
    if caller.is_system_admin:
        return True
    if channel["team_id"]:
        member = await team_store.get_active_member(conn, channel["team_id"], caller.user_id)
        if member is not None and member["scheme_admin"]:
            return has_permission("team_admin", permission)
    return False
