"""Presence: online while connected and active, away after a while without activity, offline when
the last connection closes; a status the user chose (away, dnd, offline) sticks until changed.

Activity is recorded in memory on every request and written at most once a minute per user;
only status changes are written at once, after re-reading the row, because another server
process may have changed it since this one last looked.
"""

import logging
from collections.abc import Callable
from typing import Any

from villagepump import errors
from villagepump.actions.transaction import transaction
from villagepump.clock import now_ms_of
from villagepump.events.presence import UserPresence
from villagepump.events.types import Broadcast, Event
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import statuses as status_store
from villagepump.store.statuses import AWAY, DND, OFFLINE, ONLINE

log = logging.getLogger(__name__)

ACTIVITY_WRITE_EVERY_MS = 60_000
# A client that reconnects within this time (a page reload, a network change) stays online.
OFFLINE_GRACE_SECONDS = 5.0
# Users with no connection here, idle this long, are forgotten by this process.
FORGET_AFTER_MS = 15 * 60_000

USER_SETTABLE = (ONLINE, AWAY, DND, OFFLINE)

# Given the stored row (None if the user has none), the columns to write, or None to leave it.
Decision = Callable[[Row | None], dict[str, Any] | None]


async def record_activity(rt: Runtime, user_id: str) -> None:
    """The user did something: a request, a WebSocket action. Cheap unless a write is due."""
    now = now_ms_of(rt.clock)
    known = rt.presence.users.get(user_id)
    settled = False
    if known is not None:
        known.last_activity_at = now
        settled = known.status == ONLINE or known.manual or not rt.hub.has_attached(user_id)
        if settled and now - known.written_activity_at < ACTIVITY_WRITE_EVERY_MS:
            return
    connected = rt.hub.has_attached(user_id)

    def decide(row: Row | None) -> dict[str, Any] | None:
        if connected and _is_automatic(row) and (row is None or row["status"] != ONLINE):
            return {"status": ONLINE, "manual": False, "last_activity_at": now}
        return {"last_activity_at": now}

    if settled and known is not None:
        # Only the time is due, the status stays: written in the background, so that no request
        # waits behind other writers for it (every user's status poll carries one a minute).
        known.written_activity_at = now
        rt.hub.spawn(_record_quietly(rt, user_id, decide, now))
        return
    await _record_quietly(rt, user_id, decide, now)


async def _record_quietly(rt: Runtime, user_id: str, decide: Decision, now: int) -> None:
    try:
        await _change(rt, user_id, decide, now)
    except Exception:
        # Presence is a courtesy: the request that carried the activity goes on regardless.
        log.exception("could not record activity of user %s", user_id)


async def user_connected(rt: Runtime, user_id: str) -> None:
    now = now_ms_of(rt.clock)
    known = rt.presence.users.get(user_id)
    if (
        known is not None
        and (known.status == ONLINE or known.manual)
        and now - known.written_activity_at < ACTIVITY_WRITE_EVERY_MS
        and rt.hub.attached_connections(user_id) > 1
    ):
        # Another socket of the user is open here, so no process can have marked them offline
        # (it asks this one first), and the status and activity time were written recently:
        # nothing to write. A user's phone, laptop and tabs connecting at once (or a restart's
        # reconnect storm) would otherwise queue one write transaction per socket, and a post
        # waited behind 19,900 of them (bench/README.md, idle sockets).
        known.last_activity_at = now
        _ensure_sweeping(rt)
        return

    def decide(row: Row | None) -> dict[str, Any] | None:
        if _is_automatic(row):
            return {"status": ONLINE, "manual": False, "last_activity_at": now}
        return {"last_activity_at": now}

    await _change(rt, user_id, decide, now)
    await rt.sockets.opened(user_id)
    _ensure_sweeping(rt)


async def user_disconnected(rt: Runtime, user_id: str) -> None:
    """Called when a socket closes: offline, unless the user comes back (or has another) soon."""
    await rt.clock.sleep(OFFLINE_GRACE_SECONDS)
    if rt.hub.has_attached(user_id):
        return
    await rt.sockets.closed(user_id)
    if await rt.sockets.connected_elsewhere(user_id):
        return

    def decide(row: Row | None) -> dict[str, Any] | None:
        if row is not None and row["status"] != OFFLINE and not row["manual"]:
            return {"status": OFFLINE, "manual": False}
        return None

    await _change(rt, user_id, decide)


async def set_status(rt: Runtime, user_id: str, status: str, dnd_end_time: int = 0) -> Row:
    """The user chose a status. "online" hands control back to presence; the others stick."""
    if status not in USER_SETTABLE:
        raise errors.invalid_body("status")
    if dnd_end_time < 0:
        raise errors.invalid_body("dnd_end_time")
    now = now_ms_of(rt.clock)

    def decide(row: Row | None) -> dict[str, Any] | None:
        values: dict[str, Any] = {"status": status, "manual": status != ONLINE, "last_activity_at": now}
        values["dnd_end_time"] = dnd_end_time if status == DND else 0
        if status == DND and (row is None or row["status"] != DND):
            values["prev_status"] = row["status"] if row is not None else OFFLINE
        return values

    row = await _change(rt, user_id, decide, now)
    assert row is not None
    return row


async def set_active(rt: Runtime, user_id: str, is_active: bool, manual: bool) -> None:
    """The client's `user_update_active_status`: the web app reports whether its user is there."""
    if is_active:
        await record_activity(rt, user_id)
    elif manual:
        await set_status(rt, user_id, AWAY)


async def sweep(rt: Runtime) -> None:
    """Away for connected users idle too long; ends do-not-disturb whose time is up."""
    now = now_ms_of(rt.clock)
    for user_id, known in list(rt.presence.users.items()):
        idle = now - known.last_activity_at
        if not rt.hub.has_attached(user_id):
            if idle > FORGET_AFTER_MS:
                rt.presence.users.pop(user_id, None)
            continue
        if known.status == ONLINE and not known.manual and idle >= rt.settings.presence_away_seconds * 1000:
            await _change(rt, user_id, _away_if_idle(now, rt.settings.presence_away_seconds * 1000))
    async with rt.db.read() as conn:
        expired = await status_store.expired_dnd(conn, int(rt.clock.time()))
    for row in expired:
        await _change(rt, row["user_id"], _end_dnd(rt.hub.has_attached(row["user_id"])))


def _away_if_idle(now: int, away_after_ms: float) -> Decision:
    def decide(row: Row | None) -> dict[str, Any] | None:
        # Another process may have seen (and written) more recent activity.
        if row is None or row["manual"] or row["status"] != ONLINE:
            return None
        if now - row["last_activity_at"] < away_after_ms:
            return None
        return {"status": AWAY, "manual": False}

    return decide


def _end_dnd(connected: bool) -> Decision:
    def decide(row: Row | None) -> dict[str, Any] | None:
        if row is None or row["status"] != DND or not row["dnd_end_time"]:
            return None
        previous = row["prev_status"] or OFFLINE
        if connected and previous == OFFLINE:
            previous = ONLINE
        return {"status": previous, "manual": previous in (AWAY, DND), "dnd_end_time": 0, "prev_status": ""}

    return decide


def _is_automatic(row: Row | None) -> bool:
    return row is None or not row["manual"]


async def _change(rt: Runtime, user_id: str, decide: Decision, activity_written_at: int = 0) -> Row | None:
    """Re-reads the row, applies `decide`, writes, tells the user if their status changed."""
    async with transaction(rt) as tx:
        row = await status_store.get_status(tx.conn, user_id, for_update=True)
        values = decide(row)
        if values is not None:
            await status_store.save_status(tx.conn, user_id, _complete(values, row))
            old_status = row["status"] if row is not None else OFFLINE
            new_status = values.get("status", old_status)
            if new_status != old_status or row is None:
                tx.publish(status_changed(user_id, new_status))
            row = await status_store.get_status(tx.conn, user_id)
    if row is not None:
        _remember(rt, row, activity_written_at)
    return row


def status_changed(user_id: str, status: str) -> Event:
    # The mobile app applies status_change to its own user without looking at user_id, so
    # (as in Mattermost) only the user whose status changed hears it.
    return Event("status_change", {"status": status, "user_id": user_id}, Broadcast(user_id=user_id))


def _complete(values: dict[str, Any], row: Row | None) -> dict[str, Any]:
    if row is not None:
        return values
    return {"status": OFFLINE, "manual": False, **values}


def _remember(rt: Runtime, row: Row, activity_written_at: int) -> None:
    known = rt.presence.users.get(row["user_id"])
    if known is None:
        known = UserPresence(row["status"], row["manual"], row["last_activity_at"], 0)
        rt.presence.users[row["user_id"]] = known
    known.status, known.manual = row["status"], row["manual"]
    known.last_activity_at = max(known.last_activity_at, row["last_activity_at"])
    if activity_written_at:
        known.written_activity_at = activity_written_at


def _ensure_sweeping(rt: Runtime) -> None:
    if rt.presence.sweeping:
        return
    rt.presence.sweeping = True
    rt.hub.spawn(_sweep_forever(rt))


async def _sweep_forever(rt: Runtime) -> None:
    while True:
        await rt.clock.pause(rt.settings.presence_sweep_seconds)
        try:
            await sweep(rt)
        except Exception:
            log.exception("presence sweep failed")
