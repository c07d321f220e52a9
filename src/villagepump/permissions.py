"""The one place that knows who may do what.

Routes call a `require_*` before they read. An action that writes calls it with its own
transaction's connection and `lock=True`, so the rows the check read (channel, membership,
post) stay as they were until the write commits: a member removed or a channel archived a
moment before cannot slip a write in (docs/decisions/0005-checks-inside-the-write.md).

Each check returns what it loaded, so nothing fetches the same row twice. A thing that does
not exist is 404; one that exists but the caller may not see is 403, and reveals nothing of
its content.
"""

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.auth import Caller
from villagepump.roles import has_permission
from villagepump.store import Row, locks
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


async def require_channel(conn: AsyncConnection, channel_id: str, *, lock: bool = False) -> Row:
    if lock:
        channel = await locks.lock_channel(conn, channel_id)
    else:
        channel = await channel_store.get_channel(conn, channel_id)
    if channel is None:
        raise errors.not_found("channel", "app.channel.get.existing.app_error")
    return channel


async def _membership(conn: AsyncConnection, channel_id: str, user_id: str, lock: bool) -> Row | None:
    if lock:
        return await locks.lock_channel_member(conn, channel_id, user_id)
    return await channel_store.get_member(conn, channel_id, user_id)


async def can_read_channel(conn: AsyncConnection, caller: Caller, channel: Row) -> bool:
    """Members read every channel; team members also read public channels they have not joined."""
    member = await channel_store.get_member(conn, channel["id"], caller.user_id)
    return await _can_read(conn, caller, channel, member)


async def _can_read(conn: AsyncConnection, caller: Caller, channel: Row, member: Row | None) -> bool:
    if member is not None:
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


async def require_channel_member(
    conn: AsyncConnection, caller: Caller, channel_id: str, *, lock: bool = False
) -> tuple[Row, Row]:
    """The channel and the caller's membership, for acting in it (posting, reacting)."""
    channel = await require_channel(conn, channel_id, lock=lock)
    member = await _membership(conn, channel_id, caller.user_id, lock)
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


async def _live_post(conn: AsyncConnection, post_id: str, lock: bool) -> Row:
    post = await (locks.lock_post(conn, post_id) if lock else post_store.get_post(conn, post_id))
    if post is None or post["delete_at"]:
        raise errors.not_found("post", "app.post.get.app_error")
    return post


async def _post_in_channel(
    conn: AsyncConnection, caller: Caller, post_id: str, lock: bool
) -> tuple[Row, Row, Row | None]:
    """The post, its channel and the caller's membership of it (None for a non-member).
    Locked in store/locks.py's order: the channel, the membership, then the post read again,
    since it may have been deleted while this waited for the channel."""
    post = await _live_post(conn, post_id, lock=False)
    channel = await require_channel(conn, post["channel_id"], lock=lock)
    member = await _membership(conn, channel["id"], caller.user_id, lock)
    if lock:
        post = await _live_post(conn, post_id, lock=True)
    return post, channel, member


async def require_post_read(
    conn: AsyncConnection, caller: Caller, post_id: str, *, lock: bool = False
) -> tuple[Row, Row]:
    """The post and its channel, if the caller may read that channel."""
    post, channel, member = await _post_in_channel(conn, caller, post_id, lock)
    if not await _can_read(conn, caller, channel, member):
        raise errors.forbidden()
    return post, channel


async def require_post_member(
    conn: AsyncConnection, caller: Caller, post_id: str, *, lock: bool = False
) -> tuple[Row, Row]:
    """The post and its channel, if the caller belongs to the channel: to pin it or react to it."""
    post, channel, member = await _post_in_channel(conn, caller, post_id, lock)
    if member is None:
        raise errors.forbidden()
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


async def require_team_visible(conn: AsyncConnection, caller: Caller, team_id: str) -> tuple[Row, bool]:
    """The team and whether the caller may act in it. Members and system admins see a team;
    anyone signed in sees an open one (to join it), without its invite id."""
    team = await require_team(conn, team_id)
    if caller.is_system_admin or await team_store.get_active_member(conn, team_id, caller.user_id):
        return team, True
    if team["allow_open_invite"] and not team["delete_at"]:
        return team, False
    raise errors.forbidden()


async def require_team_member_removal(
    conn: AsyncConnection, caller: Caller, team_id: str, user_id: str
) -> Row:
    """Leaving is always allowed; removing someone else takes a team admin."""
    if user_id == caller.user_id:
        return await require_team(conn, team_id)
    return await require_team_admin(conn, caller, team_id)


async def require_channel_manage(conn: AsyncConnection, caller: Caller, channel_id: str) -> Row:
    """Change a channel's properties, archive it, or manage its members. Private channels,
    direct and group messages are managed only by their members."""
    channel = await require_channel_read(conn, caller, channel_id)
    if not await can_manage_channel(conn, caller, channel):
        raise errors.forbidden()
    return channel


async def require_channel_add_member(
    conn: AsyncConnection, caller: Caller, channel_id: str, user_id: str
) -> Row:
    """Joining a public channel needs only team membership; adding others needs `manage`."""
    channel = await require_channel_read(conn, caller, channel_id)
    if channel["type"] == "O" and user_id == caller.user_id:
        return channel
    if not await can_manage_channel(conn, caller, channel):
        raise errors.forbidden()
    return channel


async def require_channel_remove_member(
    conn: AsyncConnection, caller: Caller, channel_id: str, user_id: str
) -> Row:
    channel = await require_channel_read(conn, caller, channel_id)
    if user_id != caller.user_id and not await can_manage_channel(conn, caller, channel):
        raise errors.forbidden()
    return channel


async def require_channel_roles_manager(conn: AsyncConnection, caller: Caller, channel_id: str) -> Row:
    """manage_channel_roles: the channel's admins, and team or system admins who can see it."""
    channel = await require_channel_read(conn, caller, channel_id)
    if channel["type"] in ("D", "G"):
        raise errors.forbidden()
    if caller.is_system_admin or await is_team_admin(conn, caller, channel["team_id"]):
        return channel
    member = await channel_store.get_member(conn, channel_id, caller.user_id)
    if member is None or not member["scheme_admin"]:
        raise errors.forbidden()
    return channel


async def require_channel_restore(conn: AsyncConnection, caller: Caller, channel_id: str) -> Row:
    """Bringing back an archived channel is for team admins (manage_team), as in Mattermost."""
    channel = await require_channel_read(conn, caller, channel_id)
    if channel["type"] in ("D", "G") or not await is_team_admin(conn, caller, channel["team_id"]):
        raise errors.forbidden()
    return channel


async def require_post_change(
    conn: AsyncConnection, caller: Caller, post_id: str, others: str, *, lock: bool = False
) -> tuple[Row, Row]:
    """The post and its channel, if the caller may change it: their own post in a channel they
    belong to, or anyone's with `others` (edit_others_posts / delete_others_posts)."""
    post, channel, member = await _post_in_channel(conn, caller, post_id, lock)
    if post["user_id"] == caller.user_id:
        if member is not None:
            return post, channel
    elif await _can_read(conn, caller, channel, member) and await can_act_on_others_posts(
        conn, caller, channel, others
    ):
        return post, channel
    raise errors.forbidden()


async def readable_channel_ids(conn: AsyncConnection, caller: Caller, channel_ids: set[str]) -> set[str]:
    """Which of these channels the caller may read; for filtering lists of posts."""
    readable: set[str] = set()
    for channel_id in channel_ids:
        channel = await channel_store.get_channel(conn, channel_id)
        if channel is not None and await can_read_channel(conn, caller, channel):
            readable.add(channel_id)
    return readable


async def require_post_create(
    conn: AsyncConnection, caller: Caller, channel_id: str, *, lock: bool = False
) -> Row:
    """The channel, with the caller's username as `poster_username`, if the caller is a member.
    One query when allowed, since every post takes this path."""
    channel = await post_store.posting_context(conn, channel_id, caller.user_id, lock=lock)
    if channel is None:
        await require_channel_member(conn, caller, channel_id)
        raise errors.forbidden()
    return channel
