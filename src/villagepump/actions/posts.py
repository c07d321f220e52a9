"""Posts: creating (the hot path), editing, pinning, deleting, and marking a channel unread.

Each action checks that its actor may do it inside its own transaction, with the rows it
checked locked until it commits (permissions.py, store/locks.py); every caller (routes, slash
commands, and later bridges, importers and jobs) gets the same rules by calling it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from villagepump import errors, mentions, permissions
from villagepump.actions import files as file_actions
from villagepump.actions import link_previews as preview_actions
from villagepump.actions import notifications as notification_actions
from villagepump.actions import threads as thread_actions
from villagepump.actions.drafts import delete_draft_in
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import new_id, now_ms
from villagepump.integrations import interactive, outgoing_webhooks
from villagepump.moderation import posting
from villagepump.render.posts import PostRow, render_post
from villagepump.render.threads import render_thread
from villagepump.runtime import Runtime
from villagepump.store import Row, locks
from villagepump.store import channels as channel_store
from villagepump.store import posts as post_store
from villagepump.store import search as search_store
from villagepump.store import threads as thread_store
from villagepump.store import unreads as unread_store
from villagepump.store import users as user_store
from villagepump.store.posts import PostContext

MAX_FILES = 10
MAX_PROPS_BYTES = 800_000
SYSTEM_POST_PREFIX = "system_"
# The prop that marks a post a moderator removed (its message replaced, its files detached).
REMOVED_BY_MODERATOR = "removed_by_moderator"
_HASHTAG = re.compile(r"^#[^\W\d_][\w\-.]*[^\W_]$")


@dataclass(slots=True)
class Draft:
    """A post as a client sends it, types already checked."""

    message: str
    root_id: str = ""
    pending_post_id: str = ""
    props: dict[str, Any] = field(default_factory=dict)
    file_ids: list[str] = field(default_factory=list)
    post_type: str = ""
    set_online: bool = True


def parse_hashtags(message: str) -> str:
    """Space-separated #tags as Mattermost finds them: a letter first, punctuation trimmed."""
    found: list[str] = []
    for word in message.split():
        word = word.strip("!\"'()*,:;<>?[]{}`~").rstrip(".-_")
        if word.startswith("#") and len(word) > 2 and _HASHTAG.match(word) and word not in found:
            found.append(word)
    return " ".join(found)[:1000]


def check_message(
    rt: Runtime, message: str, file_ids: list[str], props: dict[str, Any] | None = None
) -> None:
    if len(message) > rt.settings.max_post_size:
        raise errors.bad_request(
            "model.post.is_valid.message_length.app_error",
            f"Message must be at most {rt.settings.max_post_size} characters.",
        )
    # An integration's post may be attachments alone, as in Mattermost.
    if not message.strip() and not file_ids and not interactive.has_attachments(props or {}):
        raise errors.bad_request("api.post.create_post.message_required", "A post needs a message or a file.")


def check_props(props: dict[str, Any]) -> None:
    if len(orjson.dumps(props)) > MAX_PROPS_BYTES:
        raise errors.bad_request("model.post.is_valid.props.app_error", "Post props are too large.")


def is_system_post(post_type: str) -> bool:
    """Join, leave and change notices: they never mention anyone."""
    return post_type.startswith(SYSTEM_POST_PREFIX)


def require_open_channel(channel: Row) -> None:
    if channel["delete_at"]:
        raise errors.forbidden("You can not post or change posts in an archived channel.")


async def create_post(
    rt: Runtime, actor: Caller, channel_id: str, draft: Draft, *, as_hook: bool = False
) -> dict[str, Any]:
    """One transaction: the checks (the actor is a member, the channel open, the root a root of
    it), the post, the channel's totals, the poster's read state, mentions and, for a reply, its
    thread. Returns the post as clients see it. `as_hook`: an incoming webhook posting for its
    creator, who need not be a member of a public channel."""
    async with transaction(rt) as tx:
        return await create_post_in(tx, rt, actor, channel_id, draft, as_hook=as_hook)


async def create_post_in(
    tx: Transaction, rt: Runtime, actor: Caller, channel_id: str, draft: Draft, *, as_hook: bool = False
) -> dict[str, Any]:
    """create_post within a transaction that does more (a moderator's warning with its audit)."""
    channel = await permissions.require_post_create(tx.conn, actor, channel_id, lock=True, as_hook=as_hook)
    # Every way of posting comes here: a muted user, or a member of a read-only channel,
    # is stopped whether they use the API, a slash command, a webhook, a bot or a bridge.
    await posting.require_not_muted(tx.conn, actor, channel)
    await posting.require_may_post(tx.conn, actor, channel, reply=bool(draft.root_id))
    check_message(rt, draft.message, draft.file_ids, draft.props)
    check_props(draft.props)
    require_open_channel(channel)
    poster = {"id": actor.user_id, "username": channel["poster_username"]}
    root = await _require_root(tx.conn, channel, draft.root_id) if draft.root_id else None
    mentioned = await _mentioned(tx.conn, channel, poster["id"], draft.message)
    post = new_post_values(poster["id"], channel["id"], draft)
    context = PostContext()
    if draft.file_ids:
        context.files[post["id"]] = await file_actions.attach_files(
            tx.conn, actor.user_id, channel["id"], post["id"], draft.file_ids, post["create_at"]
        )
    await _store_read_post(tx, post, root is None)
    await unread_store.add_mentions(tx.conn, channel["id"], mentioned, root is None, post["create_at"])
    followers: list[Row] = []
    if root is not None:
        thread, followers = await _record_reply(tx, root, post, mentioned)
        context.threads[root["id"]] = thread
    context.previews = await preview_actions.queue_previews_in(tx, rt.settings, post)
    rendered = render_post(post, context)
    await notification_actions.queue_post_notifications(tx, rt.settings, channel, post["id"])
    await outgoing_webhooks.queue_outgoing_in(
        tx, rt.settings, channel, {**poster, "is_bot": actor.is_bot}, post
    )
    tx.publish(_posted_event(channel, poster, rendered, draft.set_online, mentioned, followers))
    if followers:
        assert root is not None
        await _publish_thread_updates(tx, channel, root, followers)
    # As in Mattermost: the message is sent, so its synced draft goes from every device.
    await delete_draft_in(tx, actor.user_id, channel["id"], draft.root_id)
    return rendered


async def create_system_post_in(
    tx: Transaction,
    channel: Row,
    actor: Mapping[Any, Any],
    post_type: str,
    message: str,
    props: dict[str, Any],
    *,
    at: int = 0,
) -> dict[str, Any]:
    """Within a transaction: a system message (someone joined, a header changed, ...) by `actor`.
    It mentions nobody; unless it is a join or leave, it is unread for everyone but the actor.
    `at` orders several messages about one change, which would otherwise share a millisecond."""
    # Taken before the time is read, as every post does: a post that waited for this change
    # (a removal, an archive) is refused, and one that went first is dated before it.
    await locks.lock_channel(tx.conn, channel["id"])
    post = new_post_values(actor["id"], channel["id"], Draft(message, props=props, post_type=post_type))
    if at:
        post["create_at"] = post["update_at"] = at
    if post_type in post_store.JOIN_LEAVE_TYPES:
        # Mattermost leaves joins and leaves out of the message counts: they make no channel unread.
        await post_store.insert_post(tx.conn, post)
        await unread_store.note_uncounted_post(tx.conn, channel["id"], post["create_at"])
    else:
        await _store_read_post(tx, post, True)
    rendered = render_post(post)
    tx.publish(_posted_event(channel, actor, rendered, True, set(), []))
    return rendered


async def _store_read_post(tx: Transaction, post: dict[str, Any], is_root: bool) -> None:
    """Inserts the post, counts it in the channel's totals, and marks it read by its author."""
    channel_id, at = post["channel_id"], post["create_at"]
    await search_store.insert_indexed_post(tx.conn, post)
    totals = await unread_store.count_new_post(tx.conn, channel_id, at, is_root)
    await unread_store.mark_read_up_to(tx.conn, channel_id, post["user_id"], totals, at)


def new_post_values(user_id: str, channel_id: str, draft: Draft) -> dict[str, Any]:
    now = now_ms()
    return {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": False,
        "user_id": user_id,
        "channel_id": channel_id,
        "root_id": draft.root_id,
        "original_id": "",
        "message": draft.message,
        "type": draft.post_type,
        "props": interactive.with_action_ids(draft.props),
        "hashtags": parse_hashtags(draft.message),
        "file_ids": draft.file_ids,
        "pending_post_id": draft.pending_post_id,
    }


async def _require_root(conn: Any, channel: Row, root_id: str) -> Row:
    root = await post_store.get_post(conn, root_id)
    if root is None or root["delete_at"] or root["channel_id"] != channel["id"] or root["root_id"]:
        raise errors.bad_request(
            "api.post.create_post.root_id.app_error",
            "Invalid RootId parameter: not a root post of this channel.",
        )
    return root


async def _mentioned(conn: Any, channel: Row, poster_id: str, message: str) -> set[str]:
    """Members the message mentions. In a direct message every message mentions the other person."""
    if channel["type"] == "D":
        other = mentions.direct_channel_other_user(channel["name"], poster_id)
        return {other} if other and other != poster_id else set()
    parsed = mentions.parse(message)
    if parsed.empty:
        return set()
    everyone = parsed.channel or parsed.here
    members = await unread_store.mention_candidates(conn, channel["id"], parsed.usernames, everyone)
    return mentions.mentioned_user_ids(parsed, members, poster_id)


async def _record_reply(
    tx: Transaction, root: Row, post: dict[str, Any], mentioned: set[str]
) -> tuple[Row, list[Row]]:
    """The thread's counts and followers: the root's author, every replier and whoever a reply
    mentions follow it. Returns the thread and its followers' views of it."""
    conn, at, root_id = tx.conn, post["create_at"], root["id"]
    thread = await thread_store.record_reply(conn, root_id, root["channel_id"], post["user_id"], at)
    if root["user_id"] != post["user_id"]:
        await thread_store.follow_unless_unfollowed(conn, root_id, root["user_id"], at)
    await thread_store.touch_followers(conn, root_id, at)
    await thread_store.record_participant(conn, root_id, post["user_id"], at)
    await thread_store.add_mentions(conn, root_id, mentioned - {post["user_id"]}, at)
    # Clients cache posts by update_at: the root's reply count changed, so it must be refetched.
    await post_store.touch_post(conn, root_id, at)
    return thread, await thread_store.followers(conn, root_id)


def _posted_event(
    channel: Row,
    poster: Mapping[Any, Any],
    post: dict[str, Any],
    set_online: bool,
    mentioned: set[str],
    followers: list[Row],
) -> Event:
    display_name = "@" + poster["username"] if channel["type"] == "D" else channel["display_name"]
    data: dict[str, Any] = {
        "channel_display_name": display_name,
        "channel_name": channel["name"],
        "channel_type": channel["type"],
        "post": json_field(post),
        "sender_name": "@" + poster["username"],
        "set_online": set_online,
        "team_id": channel["team_id"],
    }
    if mentioned:
        data["mentions"] = json_field(sorted(mentioned))
    if followers:
        data["followers"] = json_field([f["user_id"] for f in followers])
    return Event("posted", data, Broadcast(channel_id=channel["id"]))


async def _publish_thread_updates(tx: Transaction, channel: Row, root: Row, followers: list[Row]) -> None:
    """thread_updated to each follower, with their own unread counts."""
    thread = followers[0]
    participants = await user_store.get_users(tx.conn, thread["participants"] or [])
    users = {user["id"]: user for user in participants}
    touched_root = {**root, "update_at": thread["last_reply_at"]}
    for follower in followers:
        context = PostContext(threads={root["id"]: follower}, following={root["id"]})
        rendered = render_thread(follower, touched_root, context, users)
        tx.publish(
            Event(
                "thread_updated",
                {"thread": json_field(rendered)},
                Broadcast(user_id=follower["user_id"], team_id=channel["team_id"]),
            )
        )


def _post_event(name: str, post: PostRow, channel_id: str, **extra: Any) -> Event:
    data = {"post": json_field(render_post(post)), **extra}
    return Event(name, data, Broadcast(channel_id=channel_id))


async def edit_post(rt: Runtime, actor: Caller, post_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Changes message, props, file_ids or is_pinned of the actor's own post, or anyone's with
    edit_others_posts. A new message counts as an edit (edit_at)."""
    async with transaction(rt) as tx:
        post, channel = await permissions.require_post_change(
            tx.conn, actor, post_id, "edit_others_posts", lock=True
        )
        require_open_channel(channel)
        await posting.require_not_muted(tx.conn, actor)
        if is_system_post(post["type"]):
            raise errors.bad_request(
                "api.post.update_post.system_message.app_error", "Unable to update system message."
            )
        if (post["props"] or {}).get(REMOVED_BY_MODERATOR):
            raise errors.APIError(
                403,
                "api.post.update_post.removed_by_moderator.app_error",
                "A moderator removed this post: it cannot be edited.",
            )
        if "message" in changes:
            props = changes.get("props", post["props"])
            check_message(rt, changes["message"], changes.get("file_ids", post["file_ids"]), props)
        if "props" in changes:
            changes["props"] = interactive.kept_integrations(post["props"] or {}, changes["props"])
            check_props(changes["props"])
        now = now_ms()
        if "file_ids" in changes and changes["file_ids"] != (post["file_ids"] or []):
            await file_actions.change_attachments(tx.conn, post, changes["file_ids"], now)
        values: dict[str, Any] = {**changes, "update_at": now}
        if "message" in changes and changes["message"] != post["message"]:
            values["edit_at"] = now
            values["hashtags"] = parse_hashtags(changes["message"])
        await post_store.update_post(tx.conn, post["id"], values)
        updated = await post_store.get_post(tx.conn, post["id"])
        assert updated is not None
        if "edit_at" in values:
            await search_store.index_post(tx.conn, updated)
            await preview_actions.queue_previews_in(tx, rt.settings, updated)
        context = await post_store.load_context(
            tx.conn, [updated], "", previews=rt.settings.enable_link_previews
        )
        tx.publish(_post_event("post_edited", {**updated}, channel["id"]))
    return render_post(updated, context)


async def set_pinned(rt: Runtime, actor: Caller, post_id: str, pinned: bool) -> None:
    """Any member of the channel may pin or unpin its posts."""
    async with transaction(rt) as tx:
        post, channel = await permissions.require_post_member(tx.conn, actor, post_id, lock=True)
        require_open_channel(channel)
        await post_store.update_post(tx.conn, post["id"], {"is_pinned": pinned, "update_at": now_ms()})
        updated = await post_store.get_post(tx.conn, post["id"])
        assert updated is not None
        tx.publish(_post_event("post_edited", updated, channel["id"]))


async def delete_post(rt: Runtime, actor: Caller, post_id: str) -> None:
    """Soft delete of the actor's own post, or anyone's with delete_others_posts; deleting a
    root deletes its replies too, and the thread with them."""
    async with transaction(rt) as tx:
        post, channel = await permissions.require_post_change(
            tx.conn, actor, post_id, "delete_others_posts", lock=True
        )
        require_open_channel(channel)
        await delete_post_in(tx, post, actor.user_id)


async def delete_post_in(tx: Transaction, post: Row, deleter_id: str) -> None:
    """Within a transaction that has checked the deleter may: the post, its replies if it is a
    root, and its thread go; everyone in the channel hears post_deleted."""
    now = now_ms()
    await post_store.delete_post_and_replies(tx.conn, post["id"], now)
    await search_store.remove_post_and_replies(tx.conn, post["id"])
    if post["root_id"]:
        await thread_store.recount_replies(tx.conn, post["root_id"])
        await post_store.touch_post(tx.conn, post["root_id"], now)
    else:
        await thread_store.mark_deleted(tx.conn, post["id"], now)
    rendered = render_post({**post, "delete_at": now, "update_at": now})
    # As in Mattermost, the event still has the words, which everyone it reaches could read a
    # moment ago: Matterbridge drops a delete whose message is empty, so without them a delete
    # (a moderator's removal too) would never reach Telegram, Discord or the other side.
    rendered["message"] = post["message"]
    data = {"post": json_field(rendered), "delete_by": deleter_id}
    tx.publish(Event("post_deleted", data, Broadcast(channel_id=post["channel_id"])))


async def replace_with_placeholder_in(tx: Transaction, post: Row, message: str) -> Row:
    """Within a transaction: the post keeps its place (and its thread) but says `message`, marked
    REMOVED_BY_MODERATOR; its files, link previews, attachments and pin go, it leaves search, and
    everyone in the channel hears post_edited."""
    now = now_ms()
    if post["file_ids"]:
        await file_actions.change_attachments(tx.conn, post, [], now)
    values = {
        "message": message,
        "props": {REMOVED_BY_MODERATOR: True},
        "file_ids": [],
        "hashtags": "",
        "is_pinned": False,
        "edit_at": now,
        "update_at": now,
    }
    await post_store.update_post(tx.conn, post["id"], values)
    updated = await post_store.get_post(tx.conn, post["id"])
    assert updated is not None
    # Its words leave the index: only the placeholder's are found.
    await search_store.index_post(tx.conn, updated)
    tx.publish(_post_event("post_edited", {**updated}, post["channel_id"]))
    return updated


async def mark_unread_from(
    rt: Runtime, actor: Caller, post_id: str, *, collapsed_threads: bool = False
) -> dict[str, Any]:
    """The user has not read `post` nor anything after it: counts go back, mentions are counted again.

    As in Mattermost: for a client showing collapsed threads (to a user who has them on), or for a
    root post, the channel is unread from the post, root posts counted apart. A reply marked unread
    by any other client also makes its thread unread from that reply, while the channel's root
    posts stay read (that client has no root-only view).

    Only a member marks a channel unread; with the channel locked, no post lands between the
    counts read here and the ones written."""
    async with transaction(rt) as tx:
        post, channel = await permissions.require_post_member(tx.conn, actor, post_id, lock=True)
        member = await channel_store.get_member(tx.conn, channel["id"], actor.user_id)
        user = await user_store.get_user(tx.conn, actor.user_id)
        assert member is not None and user is not None
        whole_channel = not post["root_id"] or (
            collapsed_threads and await thread_actions.collapsed_threads_on(tx.conn, user["id"])
        )
        if not whole_channel:
            root = await post_store.get_post(tx.conn, post["root_id"])
            assert root is not None
            await thread_actions.mark_unread_from_in(tx, user, root, channel, post)
        counts = await _unread_counts(tx, user, member, channel, post, whole_channel)
        await unread_store.set_member_counts(tx.conn, channel["id"], user["id"], counts)
        data = {**counts, "post_id": post["id"], "channel_id": channel["id"]}
        data.pop("last_update_at")
        tx.publish(
            Event(
                "post_unread",
                data,
                Broadcast(user_id=user["id"], channel_id=channel["id"], team_id=channel["team_id"]),
            )
        )
    return {"team_id": channel["team_id"], "channel_id": channel["id"], "user_id": user["id"], **counts}


async def _unread_counts(
    tx: Transaction, user: Row, member: Row, channel: Row, post: Row, count_roots: bool
) -> dict[str, int]:
    since, since_root = await post_store.count_from(tx.conn, channel["id"], post["create_at"])
    mentioned = await _count_mentions(tx.conn, user, member, channel, post["create_at"])
    current = await channel_store.get_channel(tx.conn, channel["id"])
    assert current is not None
    return {
        "msg_count": max(current["total_msg_count"] - since, 0),
        "msg_count_root": max(current["total_msg_count_root"] - (since_root if count_roots else 0), 0),
        "mention_count": mentioned[0],
        "mention_count_root": mentioned[1] if count_roots else 0,
        "urgent_mention_count": 0,
        "last_viewed_at": post["create_at"] - 1,
        "last_update_at": now_ms(),
    }


async def _count_mentions(conn: Any, user: Row, member: Row, channel: Row, at: int) -> tuple[int, int]:
    """(mentions, mentions in root posts) of the user in the channel's posts from `at` on."""
    ignore_channel = mentions.ignores_channel_mentions(
        {"channel_notify_props": member["notify_props"], "user_notify_props": user["notify_props"]}
    )
    total = roots = 0
    for row in await post_store.messages_from(conn, channel["id"], at):
        if row["user_id"] == user["id"] or is_system_post(row["type"]):
            continue
        if channel["type"] == "D" or mentions.mentions_user(
            row["message"], user["username"], row["user_id"], user["id"], ignore_channel=ignore_channel
        ):
            total += 1
            roots += not row["root_id"]
    return total, roots
