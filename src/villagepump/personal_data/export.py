"""Writes everything a user posted and uploaded, with their profile and settings, into a zip.

Posts, reactions and files are read a page at a time (store/personal_data.py) and each entry of
the zip is written as it is read, file bytes straight from the storage, so memory stays flat
however much the user wrote. Only the user's own posts are written: in a direct or group
conversation the other side's messages are theirs, and the export names those people only.

Layout: README.txt, profile.json (and profile.png), preferences.json, memberships.json,
saved_posts.json, drafts.json, emoji.json (and emoji/<name>), reactions.jsonl, posts.jsonl,
messages.md (the same posts to read), files.jsonl and files/<file id>/<name>.
"""

import re
import time
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import orjson

from villagepump.files.storage import Storage
from villagepump.render.users import render_user
from villagepump.store import Row
from villagepump.store import personal_data as personal_store
from villagepump.store import users as user_store

PAGE = 500

_README = """This is the data {site} keeps about the account @{username}, exported {when} (UTC).

profile.json      the account: names, e-mail, position, locale, time zone, notification settings
profile.png       the profile picture, if one was set
preferences.json  every setting saved by the apps (display, sidebar, notifications, ...)
memberships.json  the teams and channels the account belongs to, by name
saved_posts.json  the ids of saved messages
drafts.json       messages being written
emoji.json        custom emoji the account created; their images under emoji/
reactions.jsonl   reactions the account made, one JSON object per line
posts.jsonl       every message the account posted, one JSON object per line
messages.md       the same messages, to read
files.jsonl       the files the account uploaded; their contents under files/
"""


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def _line(value: Any) -> bytes:
    # Row keys are SQLAlchemy's str subclass, which orjson takes only with OPT_NON_STR_KEYS.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)


def _when(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ms / 1000))


_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


def safe_name(name: str) -> str:
    """A file name that stays inside its folder of the zip, whatever the uploader called it."""
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "file"
    return cleaned[:200]


def _where(post: Row) -> str:
    if post["channel_type"] in ("D", "G"):
        return "direct message" if post["channel_type"] == "D" else "group message"
    return f"{post['team_name']} ~{post['channel_name']}"


class _Zip:
    """The zip being written, one entry open at a time."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.archive = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)

    def put(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)

    def open(self, name: str) -> IO[bytes]:
        return self.archive.open(name, "w", force_zip64=True)

    def close(self) -> None:
        self.archive.close()


async def _pages(fetch: Any, key: Any) -> AsyncIterator[Row]:
    """Rows of a keyset-paged read, page by page; `key(row)` is where the next page starts."""
    after = None
    while True:
        rows = await fetch(after)
        for row in rows:
            yield row
        if len(rows) < PAGE:
            return
        after = key(rows[-1])


async def write_export(
    db: Any, storage: Storage, site_name: str, user_id: str, target: Path, now: int
) -> None:
    """Writes the user's zip to `target` (a local file); raises LookupError if there is no user."""
    async with db.read() as conn:
        user = await user_store.get_user(conn, user_id)
        if user is None:
            raise LookupError(user_id)
        preferences = await personal_store.all_preferences(conn, user_id)
        team_rows = await personal_store.team_memberships(conn, user_id)
        channel_rows = await personal_store.channel_memberships(conn, user_id)
        directs = [row["id"] for row in channel_rows if row["type"] in ("D", "G")]
        others = await personal_store.other_members(conn, directs, user_id) if directs else []
        drafts = await personal_store.user_drafts(conn, user_id)
        emoji = await personal_store.created_emoji(conn, user_id)
    with target.open("wb") as handle:
        archive = _Zip(handle)
        archive.put(
            "README.txt", _README.format(site=site_name, username=user["username"], when=_when(now)).encode()
        )
        archive.put("profile.json", _json(render_user(user, full=True)))
        if user["last_picture_update"] > 0:
            await _copy(storage, f"users/{user_id}/profile.png", archive, "profile.png")
        archive.put("preferences.json", _json([dict(row) for row in preferences]))
        saved = [row["name"] for row in preferences if row["category"] == "flagged_post"]
        archive.put("saved_posts.json", _json(saved))
        archive.put("memberships.json", _json(_memberships(team_rows, channel_rows, others)))
        archive.put("drafts.json", _json([dict(row) for row in drafts]))
        archive.put("emoji.json", _json([dict(row) for row in emoji]))
        for row in emoji:
            await _copy(storage, f"emoji/{row['id']}/image", archive, f"emoji/{safe_name(row['name'])}")
        await _write_reactions(db, user_id, archive)
        await _write_posts(db, user_id, archive)
        await _write_files(db, storage, user_id, archive)
        archive.close()


def _memberships(team_rows: list[Row], channel_rows: list[Row], others: list[Row]) -> dict[str, Any]:
    people: dict[str, list[str]] = {}
    for row in others:
        people.setdefault(row["channel_id"], []).append(row["username"])
    channels = []
    for row in channel_rows:
        entry = {
            "team": row["team_name"],
            "name": row["name"],
            "display_name": row["display_name"],
            "type": row["type"],
            "roles": row["roles"],
            "notify_props": row["notify_props"],
            "last_viewed_at": row["last_viewed_at"],
        }
        if row["type"] in ("D", "G"):
            # A direct channel's name is two user ids: the other people's names say more.
            entry.update(name="", display_name="", with_users=people.get(row["id"], []))
        channels.append(entry)
    return {"teams": [dict(row) for row in team_rows], "channels": channels}


async def _write_reactions(db: Any, user_id: str, archive: _Zip) -> None:
    async def fetch(after: Any) -> list[Row]:
        async with db.read() as conn:
            return await personal_store.reactions_page(conn, user_id, after or (-1, "", ""), PAGE)

    with archive.open("reactions.jsonl") as out:
        async for row in _pages(fetch, lambda r: (r["create_at"], r["post_id"], r["emoji_name"])):
            out.write(_line(dict(row)))


async def _write_posts(db: Any, user_id: str, archive: _Zip) -> None:
    async def fetch(after: Any) -> list[Row]:
        async with db.read() as conn:
            return await personal_store.posts_page(conn, user_id, after or (-1, ""), PAGE)

    # Two entries at once is not possible in a zip: the readable list goes to a temporary file
    # beside it and is copied in after.
    with _Spool() as readable:
        readable.write(b"# Messages\n\n")
        with archive.open("posts.jsonl") as out:
            async for post in _pages(fetch, lambda r: (r["create_at"], r["id"])):
                out.write(_line(_post_record(post)))
                readable.write(_post_markdown(post))
        readable.copy_into(archive, "messages.md")


def _post_record(post: Row) -> dict[str, Any]:
    return {
        "id": post["id"],
        "create_at": post["create_at"],
        "edit_at": post["edit_at"],
        "delete_at": post["delete_at"],
        "root_id": post["root_id"],
        "type": post["type"],
        "message": post["message"],
        "props": post["props"] or {},
        "file_ids": post["file_ids"] or [],
        "is_pinned": post["is_pinned"],
        "channel": {
            "team": post["team_name"],
            "name": "" if post["channel_type"] in ("D", "G") else post["channel_name"],
            "display_name": "" if post["channel_type"] in ("D", "G") else post["channel_display_name"],
            "type": post["channel_type"],
            "id": post["channel_id"],
        },
    }


def _post_markdown(post: Row) -> bytes:
    reply = " (reply)" if post["root_id"] else ""
    deleted = " (deleted)" if post["delete_at"] else ""
    quoted = "\n".join(f"> {line}" for line in (post["message"] or "").splitlines()) or ">"
    return f"**{_when(post['create_at'])} UTC**, {_where(post)}{reply}{deleted}\n\n{quoted}\n\n".encode()


class _Spool:
    """A temporary file for an entry written alongside another."""

    def __enter__(self) -> "_Spool":
        import tempfile

        self.handle = tempfile.TemporaryFile()
        return self

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def copy_into(self, archive: _Zip, name: str) -> None:
        self.handle.seek(0)
        with archive.open(name) as out:
            for chunk in iter(lambda: self.handle.read(64 * 1024), b""):
                out.write(chunk)

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


async def _write_files(db: Any, storage: Storage, user_id: str, archive: _Zip) -> None:
    async def fetch(after: Any) -> list[Row]:
        async with db.read() as conn:
            return await personal_store.files_page(conn, user_id, after or (-1, ""), PAGE)

    with _Spool() as listing:
        async for row in _pages(fetch, lambda r: (r["create_at"], r["id"])):
            entry = f"files/{row['id']}/{safe_name(row['name'])}"
            copied = await _copy(storage, row["path"], archive, entry)
            record = {
                k: row[k] for k in ("id", "name", "size", "mime_type", "create_at", "delete_at", "post_id")
            }
            listing.write(_line({**record, "path": entry if copied else ""}))
        listing.copy_into(archive, "files.jsonl")


async def _copy(storage: Storage, key: str, archive: _Zip, name: str) -> bool:
    """Copies a stored file into the zip; False (and nothing written) when its bytes are gone."""
    if not key or not await storage.exists(key):
        return False
    with archive.open(name) as out:
        async for chunk in storage.read(key):
            out.write(chunk)
    return True
