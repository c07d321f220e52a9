"""Erasing a user for good (the right to be forgotten; decision 0039).

The account row stays, so that everything that names its id (kept posts, direct channels, audit
entries, emoji) still resolves, but it is scrubbed: `deleted-<id>`, no e-mail address, no names,
no picture, no password or sign-in link, deactivated. Sessions and tokens end at once, in that
first transaction. Then, in small batches with a pause between them (as retention deletes, so a
user with a million posts never stalls the server): their one-to-one conversations when the
settings say "delete", their posts when they say "remove" (a thread goes with its root, as when
a root post is deleted), their uploaded files (bytes first, then rows), their reactions. An erase
that stops half-way (a crash) is finished by running it again.
"""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from villagepump import errors
from villagepump.actions import data_exports
from villagepump.actions.sessions import publish_revoked
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.events.types import Event
from villagepump.files.storage import storage_for
from villagepump.moderation import audit
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import personal_data as personal_store
from villagepump.store import retention as retention_store
from villagepump.store import users as user_store

# Rows per batch: each batch is one short write transaction.
BATCH = 200
POSTS_MODES = ("anonymise", "remove")
DIRECT_MODES = ("keep", "delete")


@dataclass(frozen=True)
class EraseOptions:
    posts: str = "anonymise"
    direct_messages: str = "keep"

    @classmethod
    def from_settings(cls, rt: Runtime) -> "EraseOptions":
        return cls(rt.settings.erased_user_posts, rt.settings.erased_user_direct_messages)


@dataclass
class EraseReport:
    posts: int = 0
    files: int = 0
    reactions: int = 0
    direct_channels: int = 0


def erased_username(user_id: str) -> str:
    return f"deleted-{user_id}"


def _scrubbed(user_id: str, now: int, deleted_at: int) -> dict[str, object]:
    # The e-mail column is unique and required: an address under .invalid (RFC 2606) that names
    # no one and can receive nothing.
    return {
        "username": erased_username(user_id),
        "email": f"{erased_username(user_id)}@deleted.invalid",
        "email_verified": False,
        "password_hash": "",
        "nickname": "",
        "first_name": "",
        "last_name": "",
        "position": "",
        "roles": "system_user",
        "timezone": {},
        "notify_props": {},
        "props": {},
        "last_picture_update": 0,
        "auth_service": "",
        "auth_data": None,
        "mfa_active": False,
        "delete_at": deleted_at or now,
        "update_at": now,
    }


async def erase_user(
    rt: Runtime,
    actor: Caller | None,
    user_id: str,
    options: EraseOptions,
    pause: Callable[[], Awaitable[None]] | None = None,
) -> EraseReport:
    """Erases the user as `options` say. `actor` None is the command line; through the API only
    a system admin may erase anyone."""
    if actor is not None and not actor.is_system_admin:
        raise errors.forbidden()
    if options.posts not in POSTS_MODES or options.direct_messages not in DIRECT_MODES:
        raise errors.invalid_param("mode")
    report = EraseReport()
    had_picture = await _scrub(rt, user_id, options)
    storage = storage_for(rt.settings)
    if had_picture:
        await storage.delete(f"users/{user_id}/profile.png")
    await data_exports.delete_user_exports(rt, user_id)
    between = pause or (lambda: _pause(rt))
    if options.direct_messages == "delete":
        await _delete_direct_channels(rt, user_id, report, between)
    if options.posts == "remove":
        await _remove_posts(rt, user_id, report, between)
    await _delete_files(rt, user_id, report, between)
    while True:
        async with transaction(rt) as tx:
            deleted = await personal_store.delete_reactions_batch(tx.conn, user_id, BATCH)
        report.reactions += deleted
        if deleted < BATCH:
            break
        await between()
    return report


async def _scrub(rt: Runtime, user_id: str, options: EraseOptions) -> bool:
    """The account scrubbed and signed out everywhere, in one transaction with its audit entry,
    which keeps the id and the modes only. Returns whether it had a picture."""
    async with transaction(rt) as tx:
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        now = now_ms_of(rt.clock)
        await user_store.update_user(tx.conn, user_id, _scrubbed(user_id, now, user["delete_at"]))
        removed = await personal_store.delete_sessions_and_tokens(tx.conn, user_id)
        publish_revoked(tx, user_id, removed, forget_user=True)
        await personal_store.delete_own_rows(tx.conn, user_id)
        await personal_store.blank_audit_addresses(tx.conn, user_id)
        await audit.record(
            tx.conn,
            rt.settings,
            audit.USER_ERASED,
            target_id=user_id,
            details={"posts": options.posts, "direct_messages": options.direct_messages},
        )
        scrubbed = await user_store.get_user(tx.conn, user_id)
        assert scrubbed is not None
        tx.publish(Event("user_updated", {"user": render_user(scrubbed, full=False)}))
    return bool(user["last_picture_update"])


async def _delete_posts(rt: Runtime, rows: Sequence[Row | dict[str, str]], report: EraseReport) -> None:
    """Deletes posts of several channels: their files' bytes, then the rows, per channel, with
    retention's deletion (counts, reactions, threads, saved marks and search entries go too)."""
    by_channel: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_channel[row["channel_id"]].append(row["id"])
    async with rt.db.read() as conn:
        keys = await retention_store.file_keys_of_posts(conn, [row["id"] for row in rows])
    await storage_for(rt.settings).delete_many(keys)
    async with transaction(rt) as tx:
        for channel_id, ids in by_channel.items():
            report.posts += await retention_store.delete_posts(tx.conn, channel_id, ids)


async def _remove_posts(
    rt: Runtime, user_id: str, report: EraseReport, between: Callable[[], Awaitable[None]]
) -> None:
    while True:
        async with rt.db.read() as conn:
            batch = await personal_store.posts_to_erase(conn, user_id, BATCH)
        if not batch:
            return
        await _delete_posts(rt, batch, report)
        await between()


async def _delete_direct_channels(
    rt: Runtime, user_id: str, report: EraseReport, between: Callable[[], Awaitable[None]]
) -> None:
    async with rt.db.read() as conn:
        channel_ids = await personal_store.direct_channel_ids(conn, user_id, ("D",))
    for channel_id in channel_ids:
        while True:
            async with rt.db.read() as conn:
                ids = await personal_store.channel_posts_page(conn, channel_id, BATCH)
            if not ids:
                break
            await _delete_posts(rt, [{"id": i, "channel_id": channel_id} for i in ids], report)
            await between()
        async with transaction(rt) as tx:
            await personal_store.delete_direct_channel(tx.conn, channel_id)
        report.direct_channels += 1


async def _delete_files(
    rt: Runtime, user_id: str, report: EraseReport, between: Callable[[], Awaitable[None]]
) -> None:
    storage = storage_for(rt.settings)
    while True:
        async with rt.db.read() as conn:
            batch = await personal_store.file_page_to_erase(conn, user_id, BATCH)
        if not batch:
            return
        keys = [row[k] for row in batch for k in ("path", "thumbnail_path", "preview_path") if row[k]]
        await storage.delete_many(keys)
        async with transaction(rt) as tx:
            await personal_store.delete_files_of_posts(
                tx.conn,
                [row["id"] for row in batch],
                sorted({row["post_id"] for row in batch if row["post_id"]}),
            )
        report.files += len(batch)
        await between()


async def _pause(rt: Runtime) -> None:
    # Real time, as retention's pause: queued requests get the database between batches.
    await asyncio.sleep(rt.settings.retention_batch_pause_ms / 1000)
