"""Reports of posts to the moderators (decision 0036): anyone who can read a post may report it;
moderators (Caller.is_moderator) read the queue and resolve or dismiss each report with a note.

A report keeps a snapshot of the post and its neighbours, taken in the filing transaction, so an
edit or delete by the author changes nothing in it, and moderators read that copy, never the
conversation itself. The reported user never hears of a report: no event, no listing, no audit
entry of theirs names it.
"""

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors, permissions
from villagepump.actions import system_bots
from villagepump.actions.posts import create_system_post_in
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import new_id
from villagepump.moderation import audit
from villagepump.render.moderation import render_report
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import files as file_store
from villagepump.store import posts as post_store
from villagepump.store import reports as report_store
from villagepump.store import users as user_store
from villagepump.store.reports import DISMISSED, RESOLVED

log = logging.getLogger(__name__)

# Our own events (Mattermost has no reports); the custom_ prefix is what Mattermost's clients
# expect of events they do not know, and ignore.
REPORT_CREATED = "custom_villagepump_report_created"
REPORT_UPDATED = "custom_villagepump_report_updated"
MAX_COMMENT_LENGTH = 4000
MAX_NOTE_LENGTH = 4000


def check_reason(rt: Runtime, reason: object) -> str:
    if not isinstance(reason, str) or reason not in rt.settings.report_reasons:
        raise errors.bad_request(
            "api.villagepump.report.reason.app_error",
            "The reason must be one of VillagepumpSettings.ReportReasons.",
        )
    return reason


def check_text(value: object, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise errors.bad_request(
            f"api.villagepump.report.{name}.app_error",
            f"The {name} must be text of at most {limit} characters.",
        )
    return value


async def create_report(
    rt: Runtime, actor: Caller, post_id: str, reason: str, comment: str
) -> tuple[Row, bool]:
    """Files a report on a post the actor can read, with its snapshot; moderators hear of it.
    A second report by the same reporter on a post still under review returns the first."""
    async with transaction(rt) as tx:
        # Locked as a reaction locks it: a delete running now either waits for the snapshot or
        # goes first (and this answers 404, as for any deleted post).
        post, channel = await permissions.require_post_read(tx.conn, actor, post_id, lock=True)
        if post["user_id"] == actor.user_id:
            raise errors.bad_request(
                "api.villagepump.report.own_post.app_error", "You cannot report your own message."
            )
        now = now_ms_of(rt.clock)
        values = {
            "id": new_id(),
            "create_at": now,
            "update_at": now,
            "reporter_id": actor.user_id,
            "post_id": post["id"],
            "channel_id": channel["id"],
            "reported_user_id": post["user_id"],
            "reason": reason,
            "comment": comment,
            "status": report_store.OPEN,
            "closed_by": "",
            "note": "",
            "snapshot": await _snapshot(tx.conn, post, channel, rt.settings.report_context_posts),
        }
        report, created = await report_store.insert_report(tx.conn, values)
        if not created:
            return report, False
        await audit.record(
            tx.conn,
            rt.settings,
            audit.REPORT_CREATED,
            actor_id=actor.user_id,
            target_id=report["id"],
            details={"post_id": post["id"], "reason": reason},
        )
        await _tell_moderators(tx, REPORT_CREATED, report)
        await _announce(rt, tx, report)
    return report, True


async def close_report(rt: Runtime, actor: Caller, report_id: str, status: str, note: str) -> Row:
    """Resolves or dismisses an open report, with the moderator's note."""
    assert status in (RESOLVED, DISMISSED)
    permissions.require_moderator(actor)
    async with transaction(rt) as tx:
        report = await require_report(tx.conn, actor, report_id)
        # The update decides between two moderators closing at once: the second is told.
        if not await report_store.close_report(
            tx.conn, report_id, status, actor.user_id, note, now_ms_of(rt.clock)
        ):
            raise errors.bad_request(
                "api.villagepump.report.closed.app_error", "This report has been closed already."
            )
        action = audit.REPORT_RESOLVED if status == RESOLVED else audit.REPORT_DISMISSED
        await audit.record(
            tx.conn,
            rt.settings,
            action,
            actor_id=actor.user_id,
            target_id=report_id,
            details={"post_id": report["post_id"], "note": note},
        )
        closed = await report_store.get_report(tx.conn, report_id)
        assert closed is not None
        await _tell_moderators(tx, REPORT_UPDATED, closed)
    return closed


async def require_report(conn: AsyncConnection, actor: Caller, report_id: str) -> Row:
    permissions.require_moderator(actor)
    report = await report_store.get_report(conn, report_id)
    if report is None:
        raise errors.not_found("report", "app.villagepump.report.get.app_error")
    permissions.require_report_access(actor, report)
    return report


async def _snapshot(conn: AsyncConnection, post: Row, channel: Row, count: int) -> dict[str, Any]:
    before, after = await post_store.surrounding(conn, post, count)
    shown = [*before, post, *after]
    authors = await user_store.get_users(conn, {p["user_id"] for p in shown})
    usernames = {user["id"]: user["username"] for user in authors}
    files = await file_store.files_for_posts(conn, [p["id"] for p in shown])

    def copy(one: Row) -> dict[str, Any]:
        return {
            "id": one["id"],
            "user_id": one["user_id"],
            "username": usernames.get(one["user_id"], ""),
            "message": one["message"],
            "type": one["type"],
            "create_at": one["create_at"],
            "edit_at": one["edit_at"],
            "root_id": one["root_id"],
            "file_names": [f["name"] for f in files.get(one["id"], [])],
        }

    return {
        "post": copy(post),
        "before": [copy(p) for p in before],
        "after": [copy(p) for p in after],
        "channel": {
            "id": channel["id"],
            "team_id": channel["team_id"],
            "type": channel["type"],
            "name": channel["name"],
            "display_name": await _channel_display_name(conn, channel),
        },
    }


async def _channel_display_name(conn: AsyncConnection, channel: Row) -> str:
    """Direct and group messages are named by their members, as clients show them."""
    if channel["type"] not in ("D", "G"):
        return str(channel["display_name"])
    members = await user_store.get_users(conn, await channel_store.member_user_ids(conn, channel["id"]))
    return ", ".join(sorted(user["username"] for user in members))


async def _tell_moderators(tx: Transaction, name: str, report: Row) -> None:
    """Each moderator's sockets (there is no role broadcast), but never the reported user's."""
    data = {"report": json_field(render_report(report))}
    for moderator_id in await report_store.moderator_ids(tx.conn):
        if moderator_id != report["reported_user_id"]:
            tx.publish(Event(name, data, Broadcast(user_id=moderator_id)))


async def _announce(rt: Runtime, tx: Transaction, report: Row) -> None:
    """A post by the moderation bot in VillagepumpSettings.ReportChannelId, if set: the reason,
    the author and the kind of conversation, never the reporter nor the message, since people
    other than moderators may read that channel."""
    channel_id = rt.settings.report_channel_id
    if not channel_id:
        return
    channel = await channel_store.get_channel(tx.conn, channel_id)
    if channel is None or channel["delete_at"]:
        log.warning("VillagepumpSettings.ReportChannelId names no open channel: %s", channel_id)
        return
    bot_id = await system_bots.moderators_bot_in(tx.conn)
    snapshot = report["snapshot"]
    where = {
        "O": f"~{snapshot['channel']['name']}",
        "P": "a private channel",
        "D": "a direct message",
        "G": "a group message",
    }.get(snapshot["channel"]["type"], "a channel")
    message = (
        f"New report ({report['reason']}) on a message by @{snapshot['post']['username']} in {where}. "
        f"Report id: {report['id']}; it is waiting in the moderators' queue."
    )
    props = {"from_bot": "true", "villagepump_report_id": report["id"]}
    await create_system_post_in(
        tx, channel, {"id": bot_id, "username": system_bots.MODERATORS_BOT_USERNAME}, "", message, props
    )
