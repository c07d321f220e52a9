"""Channels and channel members as Mattermost sends them."""

from typing import Any

from villagepump.roles import moderated_role
from villagepump.store import Row


def render_channel(channel: Row) -> dict[str, Any]:
    return {
        "id": channel["id"],
        "create_at": channel["create_at"],
        "update_at": channel["update_at"],
        "delete_at": channel["delete_at"],
        "team_id": channel["team_id"],
        "type": channel["type"],
        "display_name": channel["display_name"],
        "name": channel["name"],
        "header": channel["header"],
        "purpose": channel["purpose"],
        "last_post_at": channel["last_post_at"],
        "last_root_post_at": channel["last_root_post_at"],
        "total_msg_count": channel["total_msg_count"],
        "total_msg_count_root": channel["total_msg_count_root"],
        "extra_update_at": 0,
        "creator_id": channel["creator_id"],
        "scheme_id": None,
        "props": channel["props"] or None,
        "group_constrained": None,
        "shared": None,
        "policy_id": None,
    }


DEFAULT_CHANNEL_NOTIFY_PROPS = {
    "desktop": "default",
    "email": "default",
    "mark_unread": "all",
    "push": "default",
    "ignore_channel_mentions": "default",
    "channel_auto_follow_threads": "off",
}


_MODERATED_GROUPS = {"channel_user": "members", "channel_guest": "guests"}


def roles_as_seen(roles: str, moderation: Row | None) -> str:
    """A member's channel roles as clients read them: in a channel whose moderation withholds
    posting or reacting from members or guests, their role is the one that lacks it (roles.py),
    as in Mattermost, where such a channel's scheme names its own roles. Admins keep their
    channel_admin role beside it, which grants both. Members who may still reply in threads keep
    create_post, as the apps know no permission for replies alone."""
    if moderation is None:
        return roles
    seen = []
    for name in roles.split():
        group = _MODERATED_GROUPS.get(name)
        if group is not None:
            may_post = bool(moderation[f"{group}_post"] or moderation[f"{group}_reply"])
            name = moderated_role(name, posts=may_post, reactions=bool(moderation[f"{group}_react"]))
        seen.append(name)
    return " ".join(seen)


def render_channel_member(member: Row, moderation: Row | None = None) -> dict[str, Any]:
    """`moderation` is the channel's row of channel_moderations, if it has one."""
    return {
        "channel_id": member["channel_id"],
        "user_id": member["user_id"],
        "roles": roles_as_seen(member["roles"], moderation),
        "last_viewed_at": member["last_viewed_at"],
        "msg_count": member["msg_count"],
        "msg_count_root": member["msg_count_root"],
        "mention_count": member["mention_count"],
        "mention_count_root": member["mention_count_root"],
        "urgent_mention_count": member["urgent_mention_count"],
        "notify_props": {**DEFAULT_CHANNEL_NOTIFY_PROPS, **(member["notify_props"] or {})},
        "last_update_at": member["last_update_at"],
        "scheme_guest": "channel_guest" in member["roles"].split(),
        "scheme_user": "channel_guest" not in member["roles"].split(),
        "scheme_admin": member["scheme_admin"],
        "explicit_roles": "",
    }


def _unread_messages(row: Row, total: str, read: str) -> int:
    # A muted channel (mark_unread "mention") counts only mentions, as in Mattermost.
    if (row["notify_props"] or {}).get("mark_unread") == "mention":
        return 0
    return max(0, int(row[total]) - int(row[read]))


def render_channel_unread(row: Row) -> dict[str, Any]:
    """A row of store.channels.unread_rows as Mattermost's ChannelUnread."""
    return {
        "team_id": row["team_id"],
        "channel_id": row["channel_id"],
        "msg_count": _unread_messages(row, "total_msg_count", "msg_count"),
        "mention_count": row["mention_count"],
        "msg_count_root": _unread_messages(row, "total_msg_count_root", "msg_count_root"),
        "mention_count_root": row["mention_count_root"],
        "urgent_mention_count": row["urgent_mention_count"],
        "notify_props": {**DEFAULT_CHANNEL_NOTIFY_PROPS, **(row["notify_props"] or {})},
    }


def render_team_unreads(
    rows: list[Row], team_ids: list[str], thread_totals: dict[str, tuple[int, int]] | None = None
) -> list[dict[str, Any]]:
    """Per team, the unread messages and mentions summed over the user's channels in it, and the
    (unread threads, unread thread mentions) the user follows there."""
    totals = {
        team_id: {
            "team_id": team_id,
            "msg_count": 0,
            "mention_count": 0,
            "msg_count_root": 0,
            "mention_count_root": 0,
            "thread_count": 0,
            "thread_mention_count": 0,
            "thread_urgent_mention_count": 0,
        }
        for team_id in team_ids
    }
    for row in rows:
        team = totals.get(row["team_id"])
        if team is None:
            continue
        unread = render_channel_unread(row)
        for key in ("msg_count", "mention_count", "msg_count_root", "mention_count_root"):
            team[key] += unread[key]
    for team_id, (unread_threads, unread_mentions) in (thread_totals or {}).items():
        if team_id in totals:
            totals[team_id]["thread_count"] = unread_threads
            totals[team_id]["thread_mention_count"] = unread_mentions
    return list(totals.values())


def render_channel_stats(channel_id: str, member_count: int, pinned_count: int) -> dict[str, Any]:
    return {
        "channel_id": channel_id,
        "member_count": member_count,
        "guest_count": 0,
        "pinnedpost_count": pinned_count,
        "files_count": 0,
    }
