"""Files: storing uploads (images made safe first) and attaching them to posts.

An upload is checked twice: before its bytes are processed (so an outsider costs little), and
again inside the transaction that records it, which is the check that counts. Bytes stored for a
refused upload are deleted again; no row ever points at them.
"""

import asyncio
import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors, permissions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.files import content_types, images, text_layer
from villagepump.files.storage import CHUNK, LocalStorage, Storage, file_key, staging_dir, storage_for
from villagepump.files.uploads import StagedFile
from villagepump.ids import new_id, now_ms
from villagepump.moderation import posting
from villagepump.render.files import render_file_info
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import files as file_store
from villagepump.store import search as search_store
from villagepump.store import systems as system_store

_PUBLIC_LINK_SALT = "PublicLinkSalt"


async def require_can_upload(
    conn: AsyncConnection, actor: Caller, channel_id: str, *, lock: bool = False
) -> Row:
    channel = await permissions.require_post_create(conn, actor, channel_id, lock=lock)
    # A muted user's files could only go into posts they may not make.
    await posting.require_not_muted(conn, actor, channel)
    if channel["delete_at"]:
        raise errors.forbidden("You can not upload files to an archived channel.")
    return channel


async def precheck_upload(rt: Runtime, actor: Caller, channel_id: str) -> None:
    async with rt.db.read() as conn:
        await require_can_upload(conn, actor, channel_id)


async def upload_files(
    rt: Runtime, actor: Caller, channel_id: str, staged: Sequence[StagedFile]
) -> list[dict[str, Any]]:
    await precheck_upload(rt, actor, channel_id)
    storage = storage_for(rt.settings)
    rows: list[dict[str, Any]] = []
    texts: list[str] = []
    try:
        for upload in staged:
            rows.append(await _store_file(storage, actor.user_id, channel_id, upload))
            texts.append(await text_layer.extract_in_thread(upload.path, rows[-1]["extension"]))
        async with transaction(rt) as tx:
            await require_can_upload(tx.conn, actor, channel_id, lock=True)
            await file_store.insert_files(tx.conn, rows)
            await search_store.index_files(tx.conn, rows, texts)
    except BaseException:
        for row in rows:
            await _delete_stored(storage, row)
        raise
    return [render_file_info(row) for row in rows]


async def _store_file(
    storage: Storage, creator_id: str, channel_id: str, upload: StagedFile
) -> dict[str, Any]:
    file_id, now = new_id(), now_ms()
    name = content_types.clean_name(upload.name)
    extension = content_types.extension_of(name)
    row: dict[str, Any] = {
        "id": file_id,
        "creator_id": creator_id,
        "post_id": "",
        "channel_id": channel_id,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "path": file_key(now, file_id, "original"),
        "thumbnail_path": "",
        "preview_path": "",
        "name": name,
        "extension": extension,
        "size": upload.size,
        "mime_type": content_types.declared_type(extension),
        "width": 0,
        "height": 0,
        "has_preview_image": False,
        "mini_preview": None,
    }
    cleaned_path = upload.path.with_name(upload.path.name + ".clean")
    try:
        image = await _processed(upload, name, cleaned_path)
        source = image.cleaned if image is not None and image.cleaned is not None else upload.path
        try:
            row["size"] = await storage.write(row["path"], read_local(source))
            if image is not None:
                await _store_derived(storage, row, image)
        except BaseException:
            await _delete_stored(storage, row)
            raise
    finally:
        cleaned_path.unlink(missing_ok=True)
    return row


async def _processed(upload: StagedFile, name: str, cleaned_path: Path) -> images.ProcessedImage | None:
    if not upload.size:
        return None
    try:
        return await images.process_in_thread(upload.path, cleaned_path)
    except images.ImageTooLarge as error:
        raise errors.bad_request(
            "api.file.upload_file.large_image_detailed.app_error",
            f"{name} dimensions ({error.width} by {error.height} pixels) exceed the limits.",
        ) from error
    except images.BrokenImage as error:
        # Mattermost stores such a file as it is; we refuse it, since whatever it carries
        # (EXIF, GPS) cannot be stripped from what cannot be read (docs/decisions/0012).
        raise errors.bad_request(
            "api.file.upload_file.read_request.app_error", f"{name} is not a valid image."
        ) from error


async def _store_derived(storage: Storage, row: dict[str, Any], image: images.ProcessedImage) -> None:
    thumbnail = file_key(row["create_at"], row["id"], f"thumb.{image.thumbnail_extension}")
    preview = file_key(row["create_at"], row["id"], f"preview.{image.preview_extension}")
    await storage.write(thumbnail, _once(image.thumbnail))
    await storage.write(preview, _once(image.preview))
    row.update(
        thumbnail_path=thumbnail,
        preview_path=preview,
        width=image.width,
        height=image.height,
        # Clients show a GIF itself, animated, only when it has no preview image; Mattermost gives
        # a still (one-frame) GIF a preview like any other picture.
        has_preview_image=not image.animated,
        mime_type=image.mime_type,
        mini_preview=image.mini_preview,
    )


async def _delete_stored(storage: Storage, row: dict[str, Any]) -> None:
    for key in (row["path"], row["thumbnail_path"], row["preview_path"]):
        if key:
            await storage.delete(key)


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def read_local(path: Path) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(open, path, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, CHUNK):
            yield chunk
    finally:
        handle.close()


async def require_file_read(conn: AsyncConnection, actor: Caller, file_id: str) -> Row:
    """The file, if the actor may read it now: an attached file by whoever can read its channel
    (a deleted post takes it away), an unattached one by its uploader only."""
    info = await file_store.get_file(conn, file_id)
    if info is None or info["delete_at"] or (info["post_id"] and info["post_delete_at"] != 0):
        raise errors.not_found("file", "app.file_info.get.app_error")
    if not info["post_id"]:
        if info["creator_id"] != actor.user_id:
            raise errors.forbidden()
        return info
    await permissions.require_channel_read(conn, actor, info["channel_id"])
    return info


async def attach_files(
    conn: AsyncConnection, actor_id: str, channel_id: str, post_id: str, file_ids: Sequence[str], at: int
) -> list[Row]:
    """Within create_post's transaction: only the poster's own files, uploaded to this channel and
    not yet attached, may go on the post; anything else refuses the post."""
    attached = await file_store.attach_files(conn, file_ids, post_id, actor_id, channel_id, at)
    if len(attached) != len(file_ids):
        # Mattermost drops such files from the post silently; we refuse the post, so that its
        # author knows, with the id Mattermost's post validation gives bad file_ids.
        raise errors.bad_request(
            "model.post.is_valid.file_ids.app_error",
            "A file can only be attached by its uploader, once, to a post in the channel it was uploaded to.",
        )
    return attached


async def public_link_hash(rt: Runtime, file_id: str) -> str:
    """The `h` of a file's public link: an HMAC of its id under a salt made once per server."""
    async with rt.db.read() as conn:
        salt = await system_store.get_value(conn, _PUBLIC_LINK_SALT)
    if salt is None:
        async with transaction(rt) as tx:
            await system_store.add_value(tx.conn, _PUBLIC_LINK_SALT, secrets.token_urlsafe(32))
            salt = await system_store.get_value(tx.conn, _PUBLIC_LINK_SALT)
    assert salt is not None
    digest = hmac.new(salt.encode(), file_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def require_public_file(rt: Runtime, file_id: str, given_hash: str) -> Row:
    """The file a public link names, if the hash is right and its post still stands."""
    expected = await public_link_hash(rt, file_id)
    if not given_hash or not hmac.compare_digest(given_hash.encode(), expected.encode()):
        raise errors.bad_request(
            "api.file.get_file.public_invalid.app_error", "The public link does not appear to be valid."
        )
    async with rt.db.read() as conn:
        info = await file_store.get_file(conn, file_id)
    if info is None or info["delete_at"] or not info["post_id"] or info["post_delete_at"] != 0:
        raise errors.not_found("file", "app.file_info.get.app_error")
    return info


async def change_attachments(conn: AsyncConnection, post: Row, file_ids: Sequence[str], at: int) -> None:
    """Within edit_post's transaction: files taken off the post are deleted; files added must be
    the post author's own unattached uploads to its channel, as when posting."""
    current = list(post["file_ids"] or [])
    added = [f for f in file_ids if f not in current]
    removed = [f for f in current if f not in file_ids]
    await file_store.detach_files(conn, post["id"], removed, at)
    if added:
        await attach_files(conn, post["user_id"], post["channel_id"], post["id"], added, at)


# -- clean-up (jobs: clean_files) ----------------------------------------------------------------

_DAY_MS = 24 * 60 * 60 * 1000
# A temporary file untouched this long belongs to an upload whose process died: a live upload
# writes to its file as its bytes arrive.
STALE_TEMPORARY_SECONDS = 60 * 60.0
CLEAN_BATCH = 500


async def clean_files(rt: Runtime, tx: Transaction, job: Row) -> dict[str, str]:
    """Removes what no one can read any more: files on deleted posts or taken off posts, and
    uploads never attached, a day after (Mattermost keeps them; we prefer privacy, see
    docs/decisions/0017), bytes first, then their rows, so a crash between the two only repeats
    the work. Also temporary files left by a killed process."""
    temporary = await remove_stale_temporary_files(rt.settings)
    before = now_ms_of(rt.clock) - _DAY_MS
    found = await file_store.files_to_remove(tx.conn, before, before, CLEAN_BATCH)
    held = await file_store.draft_file_ids(
        tx.conn, [row["creator_id"] for row in found if not row["post_id"]]
    )
    doomed = [row for row in found if row["post_id"] or row["id"] not in held]
    keys = [key for row in doomed for key in (row["path"], row["thumbnail_path"], row["preview_path"]) if key]
    await storage_for(rt.settings).delete_many(keys)
    await file_store.delete_files(tx.conn, [row["id"] for row in doomed])
    return {"deleted_files": str(len(doomed)), "deleted_temporary": str(temporary)}


async def remove_stale_temporary_files(settings: Settings) -> int:
    """Uploads staged on local disk and local writes in progress that a killed process left.
    Their age is the file system's, so it is measured on the wall clock, not the server's."""
    folders = [staging_dir(settings)]
    storage = storage_for(settings)
    if isinstance(storage, LocalStorage):
        folders.append(storage.temporary_dir)
    return await asyncio.to_thread(_remove_older_than, folders, time.time() - STALE_TEMPORARY_SECONDS)


def _remove_older_than(folders: list[Path], cutoff: float) -> int:
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                pass  # another process removed it first
    return removed
