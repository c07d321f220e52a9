"""`villagepump export mattermost`: the server's teams, channels, users (with memberships,
favourites and preferences), posts (with replies, reactions, flags, pins and files), custom
emoji and conversations, in Mattermost's bulk format, in the order its export writes them
(app/export.go): version, teams, channels, users, posts, emoji, direct channels, direct posts.

Posts are read in batches of BATCH roots with their replies, so memory stays flat. With
attachments, the output is a zip: `import.jsonl` at its root and the files under `data/`
(stored, not compressed, as Mattermost does: they are mostly compressed already); without, a
plain .jsonl. Archived teams and channels, and deleted posts, are left out, as Mattermost does.
"""

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson
from sqlalchemy import select

from villagepump.actions.categories import FAVORITE_PREFERENCE
from villagepump.actions.emoji import emoji_image_key
from villagepump.actions.transaction import transaction
from villagepump.files.storage import storage_for
from villagepump.importer.lines import PREFERENCE_FIELDS
from villagepump.moderation import audit
from villagepump.runtime import Runtime
from villagepump.store import imports as import_store
from villagepump.store.tables import (
    channel_members,
    channels,
    emoji,
    file_infos,
    posts,
    preferences,
    team_members,
    teams,
    users,
)

BATCH = 500
_PREFERENCE_KEYS = {value: key for key, value in PREFERENCE_FIELDS.items()}


def attachment_place(file_row: Any) -> str:
    """Where a file goes under data/: its storage folder (made of its date and id, so unique)
    and its name, which the importer takes from the path's last part, as Mattermost's export
    lays out FileInfo.Path."""
    folder = str(file_row["path"]).rsplit("/", 1)[0]
    return f"{folder}/{str(file_row['name']).replace('/', '_') or 'file'}"


def emoji_place(emoji_id: str) -> str:
    return emoji_image_key(emoji_id)


class _Lines:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def write(self, kind: str, data: dict[str, Any]) -> None:
        self.stream.write(orjson.dumps({"type": kind, kind: data}) + b"\n")


async def export_file(
    rt: Runtime, output: Path, *, attachments: bool, progress: Callable[[int], None] | None = None
) -> int:
    """Writes the export; returns the number of posts (replies included) written. The export is
    recorded in the audit log first: it holds every conversation, private ones included."""
    async with transaction(rt) as tx:
        await audit.record(
            tx.conn,
            rt.settings,
            audit.AUDIT_DATA_EXPORTED,
            details={"format": "mattermost", "attachments": attachments},
        )
    if not attachments:
        with output.open("wb") as stream:
            return await _write_lines(rt, _Lines(stream), progress)
    # The lines go to a temporary file first: a zip takes one entry at a time.
    handle, temporary = tempfile.mkstemp(suffix=".jsonl", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            count = await _write_lines(rt, _Lines(stream), progress)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.write(temporary, "import.jsonl")
            await _write_files(rt, archive)
    finally:
        os.unlink(temporary)
    return count


async def _write_files(rt: Runtime, archive: zipfile.ZipFile) -> None:
    storage = storage_for(rt.settings)
    after = ""
    while True:
        async with rt.db.read() as conn:
            rows = list(
                (
                    await conn.execute(
                        select(file_infos.c.id, file_infos.c.path, file_infos.c.name)
                        .join(posts, posts.c.id == file_infos.c.post_id)
                        .where(file_infos.c.id > after, file_infos.c.delete_at == 0, posts.c.delete_at == 0)
                        .order_by(file_infos.c.id)
                        .limit(BATCH)
                    )
                ).mappings()
            )
        if not rows:
            break
        after = rows[-1]["id"]
        for row in rows:
            await _copy(storage, archive, row["path"], attachment_place(row))
    async with rt.db.read() as conn:
        emoji_ids = list((await conn.execute(select(emoji.c.id).where(emoji.c.delete_at == 0))).scalars())
    for emoji_id in emoji_ids:
        await _copy(storage, archive, emoji_image_key(emoji_id), emoji_place(emoji_id))


async def _copy(storage: Any, archive: zipfile.ZipFile, key: str, place: str) -> None:
    if not await storage.exists(key):
        return
    info = zipfile.ZipInfo("data/" + place)
    info.compress_type = zipfile.ZIP_STORED
    with archive.open(info, "w", force_zip64=True) as target:
        async for chunk in storage.read(key):
            target.write(chunk)


async def _write_lines(rt: Runtime, out: _Lines, progress: Callable[[int], None] | None) -> int:
    # Mattermost's version line is a bare number; `info` says who wrote the file.
    out.stream.write(
        orjson.dumps({"type": "version", "version": 1, "info": {"generator": "villagepump"}}) + b"\n"
    )
    async with rt.db.read() as conn:
        team_rows = list(
            (
                await conn.execute(select(teams).where(teams.c.delete_at == 0).order_by(teams.c.name))
            ).mappings()
        )
        team_names = {t["id"]: t["name"] for t in team_rows}
        channel_rows = list(
            (
                await conn.execute(
                    select(channels)
                    .where(channels.c.team_id.in_(list(team_names)), channels.c.delete_at == 0)
                    .order_by(channels.c.team_id, channels.c.name)
                )
            ).mappings()
        )
    for team in team_rows:
        out.write(
            "team",
            {
                "name": team["name"],
                "display_name": team["display_name"],
                "type": team["type"],
                "description": team["description"],
                "allow_open_invite": team["allow_open_invite"],
            },
        )
    channel_keys = {c["id"]: (team_names[c["team_id"]], c["name"]) for c in channel_rows}
    for channel in channel_rows:
        out.write(
            "channel",
            {
                "team": team_names[channel["team_id"]],
                "name": channel["name"],
                "display_name": channel["display_name"] or channel["name"],
                "type": channel["type"],
                "header": channel["header"],
                "purpose": channel["purpose"],
            },
        )
    usernames = await _write_users(rt, out, team_names, channel_keys)
    count = 0
    for channel_id, (team, name) in channel_keys.items():
        count = await _write_posts(
            rt, out, [channel_id], usernames, {"team": team, "channel": name}, count, progress
        )
    async with rt.db.read() as conn:
        emoji_rows = list(
            (
                await conn.execute(select(emoji).where(emoji.c.delete_at == 0).order_by(emoji.c.name))
            ).mappings()
        )
    for row in emoji_rows:
        out.write("emoji", {"name": row["name"], "image": emoji_place(row["id"])})
    return await _write_conversations(rt, out, usernames, count, progress)


async def _write_users(
    rt: Runtime, out: _Lines, team_names: dict[str, str], channel_keys: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """Writes every user and bot line; returns usernames by id (a few thousand)."""
    async with rt.db.read() as conn:
        user_rows = list((await conn.execute(select(users).order_by(users.c.username))).mappings())
    usernames = {u["id"]: u["username"] for u in user_rows}
    # Mattermost's import looks a bot's owner up among the users; ours keep no owner, so the
    # first system admin stands in.
    admins = [u["username"] for u in user_rows if "system_admin" in u["roles"].split() and not u["is_bot"]]
    owner = admins[0] if admins else next((u["username"] for u in user_rows if not u["is_bot"]), "")
    for user in user_rows:
        if user["is_bot"]:
            continue
        async with rt.db.read() as conn:
            memberships = list(
                (
                    await conn.execute(
                        select(team_members).where(
                            team_members.c.user_id == user["id"], team_members.c.delete_at == 0
                        )
                    )
                ).mappings()
            )
            channel_rows = list(
                (
                    await conn.execute(select(channel_members).where(channel_members.c.user_id == user["id"]))
                ).mappings()
            )
            prefs = list(
                (
                    await conn.execute(select(preferences).where(preferences.c.user_id == user["id"]))
                ).mappings()
            )
        favorites = {
            p["name"] for p in prefs if p["category"] == FAVORITE_PREFERENCE and p["value"] == "true"
        }
        line: dict[str, Any] = {
            "username": user["username"],
            "email": user["email"],
            "nickname": user["nickname"],
            "first_name": user["first_name"],
            "last_name": user["last_name"],
            "position": user["position"],
            "roles": user["roles"],
            "locale": user["locale"],
            "delete_at": user["delete_at"],
            "notify_props": user["notify_props"] or {},
        }
        if user["auth_service"]:
            line["auth_service"], line["auth_data"] = user["auth_service"], user["auth_data"] or ""
        for pref in prefs:
            key = _PREFERENCE_KEYS.get((pref["category"], pref["name"]))
            if key is not None:
                line[key] = pref["value"]
        line["teams"] = []
        for member in memberships:
            if member["team_id"] not in team_names:
                continue
            team_channels = [
                {
                    "name": channel_keys[c["channel_id"]][1],
                    "roles": c["roles"],
                    "favorite": c["channel_id"] in favorites,
                    "notify_props": c["notify_props"] or {},
                }
                for c in channel_rows
                if c["channel_id"] in channel_keys
                and channel_keys[c["channel_id"]][0] == team_names[member["team_id"]]
            ]
            line["teams"].append(
                {"name": team_names[member["team_id"]], "roles": member["roles"], "channels": team_channels}
            )
        out.write("user", line)
    # After the users, so that the owner is defined before the bot names it.
    for user in user_rows:
        if user["is_bot"]:
            bot = {"username": user["username"], "owner": owner, "display_name": user["first_name"]}
            out.write("bot", {**bot, "delete_at": user["delete_at"]})
    return usernames


async def _write_posts(
    rt: Runtime,
    out: _Lines,
    channel_ids: list[str],
    usernames: dict[str, str],
    where: dict[str, Any],
    count: int,
    progress: Callable[[int], None] | None,
    kind: str = "post",
) -> int:
    after: tuple[str, int, str] = ("", -1, "")
    while True:
        async with rt.db.read() as conn:
            roots = await conn.run_sync(import_store.root_posts_after, channel_ids, after, BATCH)
            if not roots:
                return count
            after = (roots[-1]["channel_id"], roots[-1]["create_at"], roots[-1]["id"])
            replies = await conn.run_sync(import_store.replies_of, [r["id"] for r in roots])
            ids = [r["id"] for r in roots] + [r["id"] for r in replies]
            reactions = await conn.run_sync(import_store.reactions_of, ids)
            files = await conn.run_sync(import_store.files_of, ids)
            flags = await conn.run_sync(import_store.flags_of, ids)
        extras = _Extras(usernames, reactions, files, flags)
        by_root: dict[str, list[Any]] = {}
        for reply in replies:
            by_root.setdefault(reply["root_id"], []).append(reply)
        for root in roots:
            line = {**where, **extras.post(root)}
            thread = [extras.post(r) for r in by_root.get(root["id"], [])]
            if thread:
                line["replies"] = thread
            out.write(kind, line)
            count += 1 + len(thread)
        if progress is not None:
            progress(count)


class _Extras:
    def __init__(
        self, usernames: dict[str, str], reactions: list[Any], files: list[Any], flags: list[Any]
    ) -> None:
        self.usernames = usernames
        self.reactions: dict[str, list[Any]] = {}
        self.files: dict[str, list[Any]] = {}
        self.flags: dict[str, list[str]] = {}
        for r in reactions:
            self.reactions.setdefault(r["post_id"], []).append(r)
        for f in files:
            self.files.setdefault(f["post_id"], []).append(f)
        for flag in flags:
            self.flags.setdefault(flag["name"], []).append(usernames[flag["user_id"]])

    def post(self, row: Any) -> dict[str, Any]:
        line: dict[str, Any] = {
            "user": self.usernames[row["user_id"]],
            "message": row["message"],
            "create_at": row["create_at"],
        }
        if row["type"]:
            line["type"] = row["type"]
        if row["props"]:
            line["props"] = row["props"]
        if row["edit_at"]:
            line["edit_at"] = row["edit_at"]
        if row["is_pinned"]:
            line["is_pinned"] = True
        if row["id"] in self.flags:
            line["flagged_by"] = sorted(self.flags[row["id"]])
        if row["id"] in self.reactions:
            line["reactions"] = [
                {
                    "user": self.usernames[r["user_id"]],
                    "emoji_name": r["emoji_name"],
                    "create_at": max(r["create_at"], row["create_at"]),
                }
                for r in self.reactions[row["id"]]
            ]
        if row["id"] in self.files:
            line["attachments"] = [{"path": attachment_place(f)} for f in self.files[row["id"]]]
        return line


async def _write_conversations(
    rt: Runtime, out: _Lines, usernames: dict[str, str], count: int, progress: Callable[[int], None] | None
) -> int:
    async with rt.db.read() as conn:
        rows = list(
            (
                await conn.execute(
                    select(channels.c.id, channels.c.header, channel_members.c.user_id)
                    .join(channel_members, channel_members.c.channel_id == channels.c.id)
                    .where(channels.c.type.in_(["D", "G"]), channels.c.delete_at == 0)
                    .order_by(channels.c.id, channel_members.c.user_id)
                )
            ).mappings()
        )
        favorites = {
            (p["user_id"], p["name"])
            for p in (
                await conn.execute(
                    select(preferences).where(
                        preferences.c.category == FAVORITE_PREFERENCE, preferences.c.value == "true"
                    )
                )
            ).mappings()
        }
    members: dict[str, list[str]] = {}
    headers: dict[str, str] = {}
    for row in rows:
        members.setdefault(row["id"], []).append(row["user_id"])
        headers[row["id"]] = row["header"]
    conversations = {cid: ids for cid, ids in members.items() if len(ids) == 2 or 3 <= len(ids) <= 8}
    for channel_id, user_ids in conversations.items():
        out.write(
            "direct_channel",
            {
                "members": sorted(usernames[u] for u in user_ids),
                "favorited_by": sorted(usernames[u] for u in user_ids if (u, channel_id) in favorites),
                "header": headers[channel_id],
            },
        )
    for channel_id, user_ids in conversations.items():
        where = {"channel_members": sorted(usernames[u] for u in user_ids)}
        count = await _write_posts(
            rt, out, [channel_id], usernames, where, count, progress, kind="direct_post"
        )
    return count
