"""The one place that knows who may do what.

Routes call a `require_*` before they read. An action that writes calls it with its own
transaction's connection and `lock=True`, so the rows the check read (channel, membership,
post) stay as they were until the write commits: a member removed or a channel archived a
moment before cannot slip a write in (docs/decisions/0005-checks-inside-the-write.md).

Each check returns what it loaded, so nothing fetches the same row twice. A thing that does
not exist is 404; one that exists but the caller may not see is 403, and reveals nothing of
its content.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.auth import Caller, is_guest
from villagepump.roles import has_permission
from villagepump.store import Row, locks
from villagepump.store import channels as channel_store
from villagepump.store import posts as post_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store


def require_system_admin(caller: Caller) -> None:
    if not caller.is_system_admin:
        raise errors.forbidden()


def require_moderator(caller: Caller) -> None:
    """Reports and the moderators' tools: system_moderator, or a system admin (who holds every
    moderator power; roles.py)."""
    if not caller.is_moderator:
        raise errors.forbidden()


def require_report_access(caller: Caller, report: Row) -> None:
    """A moderator reads and handles a report, unless it is about them: the reported never learn
    who reported them, nor what."""
    if not caller.is_moderator or report["reported_user_id"] == caller.user_id:
        raise errors.forbidden()


def require_self_or_admin(caller: Caller, user_id: str) -> None:
    if caller.user_id != user_id and not caller.is_system_admin:
        raise errors.forbidden()


def require_self(caller: Caller, user_id: str) -> None:
    if caller.user_id != user_id:
        raise errors.forbidden()


async def require_not_guest(conn: AsyncConnection, user_id: str) -> None:
    """What guests may not do (create teams and channels, list or join public channels, invite):
    refused by the roles stored now, so that a demotion a moment ago counts whatever the
    session remembers. Called by actions inside their transaction."""
    user = await user_store.get_user(conn, user_id)
    if user is not None and is_guest(user["roles"]):
        raise errors.forbidden()


def require_not_guest_caller(caller: Caller) -> None:
    """For reads guests may not make (list_team_channels, list_public_teams)."""
    if caller.is_guest:
        raise errors.forbidden()


def can_invite(caller: Caller, member: Row | None, restricted_to_admins: bool) -> bool:
    """invite_user / add_user_to_team: members who are not guests, or only team admins when
    VillagepumpSettings.RestrictTeamInviteToAdmins is on; system admins always. Who may invite
    also sees the team's invite id."""
    if caller.is_system_admin:
        return True
    if caller.is_guest or member is None or member["delete_at"]:
        return False
    return bool(member["scheme_admin"]) or not restricted_to_admins


async def require_user_visible(conn: AsyncConnection, caller: Caller, user_id: str) -> None:
    """view_members, as Mattermost restricts it for guests: they see only themselves and the
    people they share a channel with."""
    if caller.is_guest and user_id not in await visible_user_ids(conn, caller, [user_id]):
        raise errors.forbidden()


async def visible_user_ids(conn: AsyncConnection, caller: Caller, user_ids: Iterable[str]) -> set[str]:
    """Which of these users the caller may see: all of them, except for a guest."""
    wanted = set(user_ids)
    if not caller.is_guest:
        return wanted
    return {caller.user_id} & wanted | await channel_store.users_sharing_a_channel(
        conn, caller.user_id, wanted
    )


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
    if channel["type"] == "O" and not caller.is_guest:
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
    if team["allow_open_invite"] and not team["delete_at"] and not caller.is_guest:
        return team, False
    raise errors.forbidden()


async def require_team_member_removal(
    conn: AsyncConnection, caller: Caller, team_id: str, user_id: str, *, lock: bool = False
) -> Row:
    """Leaving is always allowed; removing someone else takes a team admin. Returns the active
    membership of the one leaving (404 if none); with `lock`, it and the caller's are locked."""
    await require_team(conn, team_id)
    members = await _team_members(conn, team_id, {caller.user_id, user_id}, lock, exclusive=True)
    others = user_id != caller.user_id and not caller.is_system_admin
    if others and not _is_admin(members.get(caller.user_id)):
        # A moderator removes people from teams they are not admins of, but not admins or moderators.
        if not caller.is_moderator:
            raise errors.forbidden()
        await require_moderator_over(conn, caller, user_id)
    member = members.get(user_id)
    if member is None or member["delete_at"]:
        raise errors.not_found("team member", "app.team.get_member.missing.app_error")
    return member


async def require_team_admin_locked(
    conn: AsyncConnection, caller: Caller, team_id: str, others: Iterable[str] = ()
) -> tuple[Row, dict[str, Row]]:
    """For changing a team or its members' roles: the team, locked, then the memberships of the
    caller and `others` (by user id, left ones too), locked in user-id order. A demotion or
    removal of the caller waits until the change commits."""
    team = await team_store.get_team(conn, team_id, for_update=True)
    if team is None:
        raise errors.not_found("team", "app.team.get.find.app_error")
    members = await locks.lock_team_members(conn, team_id, {caller.user_id, *others})
    if not caller.is_system_admin and not _is_admin(members.get(caller.user_id)):
        raise errors.forbidden()
    return team, members


async def require_team_adder(
    conn: AsyncConnection,
    caller: Caller,
    team_id: str,
    user_ids: Iterable[str],
    *,
    restricted_to_admins: bool = False,
    lock: bool = False,
) -> Row:
    """Anyone but a guest may join an open team; adding others, or joining an invite-only team
    without the invitation, takes someone who may invite (add_user_to_team, `can_invite`).
    With `lock`, the team's row is shared (an archive waits) and the memberships of the caller
    and those added are locked."""
    wanted = list(dict.fromkeys(user_ids))
    team = await (locks.share_team(conn, team_id) if lock else team_store.get_team(conn, team_id))
    if team is None:
        raise errors.not_found("team", "app.team.get.find.app_error")
    members = await _team_members(conn, team_id, {caller.user_id, *wanted}, lock, exclusive=True)
    if caller.is_system_admin:
        return team
    if caller.is_guest:
        raise errors.forbidden()
    if wanted == [caller.user_id] and team["allow_open_invite"] and not team["delete_at"]:
        return team
    if not can_invite(caller, members.get(caller.user_id), restricted_to_admins):
        raise errors.forbidden()
    return team


def _is_admin(member: Row | None) -> bool:
    return member is not None and not member["delete_at"] and bool(member["scheme_admin"])


async def _team_members(
    conn: AsyncConnection, team_id: str, user_ids: Iterable[str], lock: bool, *, exclusive: bool = False
) -> dict[str, Row]:
    """Team memberships (left ones too) by user id; with `lock`, shared, or `exclusive` for a
    write that changes them (two shares that both upgrade would deadlock)."""
    if lock and exclusive:
        return await locks.lock_team_members(conn, team_id, user_ids)
    if lock:
        return await locks.share_team_members(conn, team_id, user_ids)
    found = [await team_store.get_member(conn, team_id, user_id) for user_id in set(user_ids)]
    return {member["user_id"]: member for member in found if member is not None}


@dataclass(frozen=True, slots=True)
class ChannelScene:
    """A channel with the memberships a check about it reads: those of the caller and of the
    users it acts on, in the channel and in the channel's team."""

    channel: Row
    members: dict[str, Row]
    team_members: dict[str, Row]

    def member(self, user_id: str) -> Row | None:
        return self.members.get(user_id)

    def in_team(self, user_id: str) -> bool:
        member = self.team_members.get(user_id)
        return member is not None and not member["delete_at"]


async def channel_scene(
    conn: AsyncConnection,
    caller: Caller,
    channel_id: str,
    others: Iterable[str] = (),
    *,
    lock: bool = False,
    sidebars_of: Iterable[str] = (),
) -> ChannelScene:
    """The channel and the memberships of the caller and `others`. With `lock`, in the one order
    (docs/decisions/0007): their team memberships (shared), the channel's row, the sidebars of
    `sidebars_of` (users whose sidebar the write changes), then their channel memberships."""
    channel = await channel_store.get_channel(conn, channel_id)
    if channel is None:
        raise errors.not_found("channel", "app.channel.get.existing.app_error")
    users = {caller.user_id, *others}
    team_members: dict[str, Row] = {}
    if channel["team_id"]:
        team_members = await _team_members(conn, channel["team_id"], users, lock)
    if not lock:
        found = [await channel_store.get_member(conn, channel_id, user_id) for user_id in users]
        members = {member["user_id"]: member for member in found if member is not None}
        return ChannelScene(channel, members, team_members)
    channel = await require_channel(conn, channel_id, lock=True)
    for user_id in sorted(set(sidebars_of)):
        await user_store.lock_user(conn, user_id)
    members = await locks.lock_channel_members(conn, channel_id, users)
    return ChannelScene(channel, members, team_members)


def _scene_is_team_admin(caller: Caller, scene: ChannelScene) -> bool:
    return caller.is_system_admin or _is_admin(scene.team_members.get(caller.user_id))


def _scene_can_read(caller: Caller, scene: ChannelScene) -> bool:
    if scene.member(caller.user_id) is not None:
        return True
    if caller.is_guest:
        return False
    return scene.channel["type"] == "O" and (caller.is_system_admin or scene.in_team(caller.user_id))


def _scene_can_manage(caller: Caller, scene: ChannelScene) -> bool:
    if caller.is_system_admin:
        return True
    if caller.is_guest:
        # channel_guest has no manage_*_channel_members or _properties.
        return False
    if scene.channel["type"] in ("O", "P") and _scene_is_team_admin(caller, scene):
        return True
    return scene.member(caller.user_id) is not None


def _require_read(caller: Caller, scene: ChannelScene) -> ChannelScene:
    if not _scene_can_read(caller, scene):
        raise errors.forbidden()
    return scene


async def require_channel_manage(
    conn: AsyncConnection, caller: Caller, channel_id: str, *, lock: bool = False
) -> ChannelScene:
    """Change a channel's properties, archive it, or manage its members. Private channels,
    direct and group messages are managed only by their members."""
    scene = _require_read(caller, await channel_scene(conn, caller, channel_id, lock=lock))
    if not _scene_can_manage(caller, scene):
        raise errors.forbidden()
    return scene


async def require_channel_add_member(
    conn: AsyncConnection, caller: Caller, channel_id: str, user_id: str, *, lock: bool = False
) -> ChannelScene:
    """Joining a public channel needs only team membership; adding others needs `manage`."""
    scene = _require_read(caller, await channel_scene(conn, caller, channel_id, [user_id], lock=lock))
    if scene.channel["type"] == "O" and user_id == caller.user_id:
        return scene
    if not _scene_can_manage(caller, scene):
        raise errors.forbidden()
    return scene


async def require_channel_remove_member(
    conn: AsyncConnection, caller: Caller, channel_id: str, user_id: str, *, lock: bool = False
) -> ChannelScene:
    """Leaving needs only to see the channel; removing someone else needs `manage`. With `lock`,
    the one removed has their sidebar locked too, in its place in the order."""
    scene = await channel_scene(conn, caller, channel_id, [user_id], lock=lock, sidebars_of=[user_id])
    others = user_id != caller.user_id
    if (
        others
        and caller.is_moderator
        and not (_scene_can_read(caller, scene) and _scene_can_manage(caller, scene))
    ):
        # A moderator removes people from channels they are not in, but not admins or moderators.
        await require_moderator_over(conn, caller, user_id)
        return scene
    _require_read(caller, scene)
    if user_id != caller.user_id and not _scene_can_manage(caller, scene):
        raise errors.forbidden()
    return scene


async def require_channel_roles_manager(
    conn: AsyncConnection, caller: Caller, channel_id: str, others: Iterable[str] = (), *, lock: bool = False
) -> ChannelScene:
    """manage_channel_roles: the channel's admins, and team or system admins who can see it."""
    scene = _require_read(caller, await channel_scene(conn, caller, channel_id, others, lock=lock))
    if scene.channel["type"] in ("D", "G"):
        raise errors.forbidden()
    if _scene_is_team_admin(caller, scene):
        return scene
    member = scene.member(caller.user_id)
    if member is None or not member["scheme_admin"]:
        raise errors.forbidden()
    return scene


async def require_channel_restore(
    conn: AsyncConnection, caller: Caller, channel_id: str, *, lock: bool = False
) -> ChannelScene:
    """Bringing back an archived channel is for team admins (manage_team), as in Mattermost."""
    scene = _require_read(caller, await channel_scene(conn, caller, channel_id, lock=lock))
    if scene.channel["type"] in ("D", "G") or not _scene_is_team_admin(caller, scene):
        raise errors.forbidden()
    return scene


async def require_channel_member_settings(
    conn: AsyncConnection, caller: Caller, channel_id: str, user_id: str
) -> Row:
    """A member's own settings in a channel (notifications): theirs, or a system admin's to
    change. Their membership, locked; 404 if they have none."""
    require_self_or_admin(caller, user_id)
    member = await locks.lock_channel_member(conn, channel_id, user_id)
    if member is None:
        raise errors.not_found("channel member", "app.channel.get_member.missing.app_error")
    return member


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
    conn: AsyncConnection, caller: Caller, channel_id: str, *, lock: bool = False, as_hook: bool = False
) -> Row:
    """The channel, with the caller's username as `poster_username`, if the caller is a member
    (or, `as_hook`, posts through an incoming webhook into a public channel). One query when
    allowed, since every post takes this path."""
    channel = await post_store.posting_context(conn, channel_id, caller.user_id, lock=lock, as_hook=as_hook)
    if channel is None:
        await require_channel_member(conn, caller, channel_id)
        raise errors.forbidden()
    return channel


async def require_moderator_over(conn: AsyncConnection, caller: Caller, user_id: str) -> Row:
    """The user a moderator acts on (mute, warn, remove, deactivate, remove a post of theirs),
    read inside the action's transaction. A moderator acts on members and guests only: never on
    an admin or another moderator (so moderators cannot escalate or turn on each other); a
    system admin acts on anyone. Acting on oneself is refused, as it is only ever a mistake."""
    require_moderator(caller)
    user = await user_store.get_user(conn, user_id)
    if user is None:
        raise errors.not_found("user", "app.user.missing_account.const")
    if user_id == caller.user_id:
        raise errors.APIError(
            400, "api.moderation.self.app_error", "Moderators cannot use moderation tools on themselves."
        )
    roles = set(user["roles"].split())
    if not caller.is_system_admin and roles & {"system_admin", "system_moderator"}:
        raise errors.APIError(
            403,
            "api.moderation.protected_user.app_error",
            "Moderators cannot act on admins or other moderators.",
        )
    return user
