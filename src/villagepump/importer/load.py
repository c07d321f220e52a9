"""`villagepump import mattermost`: two passes over a bulk file.

The first pass checks every line and every name a line refers to (against the lines before it
and the database), so a file with an error writes nothing. The second writes: teams, channels,
users and conversations one at a time (they are few), posts in batches of BATCH posts, each
batch one transaction of multi-row statements (store/imports.py) that keeps what the post
actions keep: channel totals, threads and their followers, the search index. A re-run finds what
is there (teams by name, channels by team and name, users by username, posts by channel, user,
create_at and message, as Mattermost does) and adds only what is missing; existing users' rows,
passwords included, are never changed.
"""

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select

from villagepump.actions.categories import FAVORITE_PREFERENCE
from villagepump.actions.channels import direct_channel_name, group_channel_name
from villagepump.actions.emoji import emoji_image_key
from villagepump.actions.posts import parse_hashtags
from villagepump.actions.teams import DEFAULT_CHANNELS
from villagepump.files import content_types
from villagepump.files.storage import file_key, storage_for
from villagepump.ids import new_id, now_ms
from villagepump.importer.lines import PREFERENCE_FIELDS, SKIPPED_TYPES, LineError, check_line
from villagepump.importer.source import Source, SourceError
from villagepump.runtime import Runtime
from villagepump.standard_emoji import is_standard_emoji
from villagepump.store import imports as import_store
from villagepump.store.tables import channels, emoji, teams, users

log = logging.getLogger(__name__)
BATCH = 1000
USER_BATCH = 500
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
Progress = Callable[[int], None]


@dataclass
class Summary:
    lines: int = 0
    posts: int = 0
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, what: str, created: bool) -> None:
        target = self.created if created else self.skipped
        target[what] = target.get(what, 0) + 1


def _parsed(source: Source) -> Iterator[tuple[int, str, dict[str, Any]]]:
    first = True
    for number, raw in source.lines():
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise LineError(number, "line", f"not valid JSON ({error})") from None
        kind, data = check_line(number, parsed)
        if first != (kind == "version"):
            raise LineError(number, "type", "the version line must come first, once")
        first = False
        yield number, kind, data


class CheckedLines:
    """The first pass's checked and normalised lines, kept in a temporary file for the second,
    so that each line is parsed from the source and checked once (checking is about a tenth of
    an import's work). Memory stays flat: the file is read back a line at a time."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), after the second pass)

    def add(self, number: int, kind: str, data: dict[str, Any]) -> None:
        self._file.write(orjson.dumps([number, kind, data]))
        self._file.write(b"\n")

    def __iter__(self) -> Iterator[tuple[int, str, dict[str, Any]]]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            number, kind, data = orjson.loads(line)
            yield number, kind, data

    def close(self) -> None:
        self._file.close()


class _Names:
    """What exists, by the names lines use: defined by an earlier line, or found in the
    database (looked up once per name)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.teams: set[str] = set()
        self.channels: set[tuple[str, str]] = set()
        self.users: set[str] = set()
        self.emoji: set[str] = set()
        self.wanted_emoji: dict[str, int] = {}
        self._db_cache: dict[tuple[str, ...], bool] = {}
        self.new_users: list[tuple[int, str, str]] = []

    async def check_emails(self) -> None:
        """A user line's address must not belong to another user already here (checked for a
        batch of lines at once)."""
        batch, self.new_users = self.new_users, []
        if not batch:
            return
        async with self.rt.db.read() as conn:
            query = select(users.c.username, users.c.email).where(
                users.c.email.in_([email for _, _, email in batch])
            )
            owners = {email: username for username, email in (await conn.execute(query)).tuples()}
        for line, username, email in batch:
            if owners.get(email, username) != username:
                raise LineError(line, "user.email", f"{email} belongs to another user ({owners[email]})")

    async def _in_db(self, key: tuple[str, ...]) -> bool:
        if key not in self._db_cache:
            async with self.rt.db.read() as conn:
                if key[0] == "team":
                    query: Any = select(teams.c.id).where(teams.c.name == key[1])
                elif key[0] == "channel":
                    query = (
                        select(channels.c.id)
                        .join(teams, teams.c.id == channels.c.team_id)
                        .where(teams.c.name == key[1], channels.c.name == key[2])
                    )
                else:
                    query = select(users.c.id).where(users.c.username == key[1])
                self._db_cache[key] = (await conn.scalar(query)) is not None
        return self._db_cache[key]

    async def require_team(self, line: int, field_name: str, name: str) -> None:
        if name not in self.teams and not await self._in_db(("team", name)):
            raise LineError(line, field_name, f"no team {name!r} in an earlier line or on this server")

    async def require_channel(self, line: int, field_name: str, team: str, name: str) -> None:
        defaults = {c for c, _ in DEFAULT_CHANNELS}
        if (team, name) in self.channels or (team in self.teams and name in defaults):
            return
        if not await self._in_db(("channel", team, name)):
            raise LineError(
                line, field_name, f"no channel {team}/{name} in an earlier line or on this server"
            )

    async def require_user(self, line: int, field_name: str, name: str) -> None:
        if name not in self.users and not await self._in_db(("user", name)):
            raise LineError(line, field_name, f"no user {name!r} in an earlier line or on this server")


async def validate(
    rt: Runtime, source: Source, progress: Progress | None = None, keep: CheckedLines | None = None
) -> Summary:
    """The first pass: raises LineError (or SourceError) at the first problem. With `keep`, the
    checked lines are kept there for the Loader."""
    names = _Names(rt)
    summary = Summary()
    for number, kind, data in _parsed(source):
        summary.lines = number
        if keep is not None:
            keep.add(number, kind, data)
        await _check_references(rt, source, names, number, kind, data, summary)
        if progress is not None and number % 1000 == 0:
            progress(number)
    await names.check_emails()
    if summary.lines == 0:
        raise LineError(1, "type", "the file is empty: the version line must come first")
    # Custom emoji may be defined after the posts that react with them (Mattermost's own export
    # writes emoji after posts), so reactions are checked once every line has been read.
    unknown = [n for n in names.wanted_emoji if n not in names.emoji]
    if unknown:
        async with rt.db.read() as conn:
            found = await conn.run_sync(import_store.live_emoji_names, unknown)
        for name in unknown:
            if name not in found:
                raise LineError(
                    names.wanted_emoji[name], "post.reactions.emoji_name", f"no emoji named {name!r}"
                )
    return summary


async def _check_references(
    rt: Runtime, source: Source, names: _Names, line: int, kind: str, data: dict[str, Any], summary: Summary
) -> None:
    if kind == "team":
        names.teams.add(data["name"])
    elif kind == "channel":
        await names.require_team(line, "channel.team", data["team"])
        names.channels.add((data["team"], data["name"]))
    elif kind == "user":
        for i, team in enumerate(data["teams"]):
            await names.require_team(line, f"user.teams[{i}].name", team["name"])
            for j, channel in enumerate(team["channels"]):
                await names.require_channel(
                    line, f"user.teams[{i}].channels[{j}].name", team["name"], channel["name"]
                )
        names.new_users.append((line, data["username"], data["email"]))
        if len(names.new_users) >= 500:
            await names.check_emails()
        names.users.add(data["username"])
    elif kind == "bot":
        await names.require_user(line, "bot.owner", data["owner"])
        names.users.add(data["username"])
    elif kind == "emoji":
        if not source.has_attachment(data["image"]):
            raise LineError(line, "emoji.image", f"{data['image']} is not in the file")
        names.emoji.add(data["name"])
    elif kind == "direct_channel":
        for name in data["members"]:
            await names.require_user(line, "direct_channel.members", name)
    elif kind in ("post", "direct_post"):
        if kind == "post":
            await names.require_channel(line, "post.channel", data["team"], data["channel"])
        else:
            for name in data["channel_members"]:
                await names.require_user(line, "direct_post.channel_members", name)
        for prefix, post in [(kind, data)] + [(f"{kind}.replies", r) for r in data["replies"]]:
            summary.posts += 1
            await names.require_user(line, f"{prefix}.user", post["user"])
            for name in post["flagged_by"]:
                await names.require_user(line, f"{prefix}.flagged_by", name)
            for reaction in post["reactions"]:
                await names.require_user(line, f"{prefix}.reactions.user", reaction["user"])
                if not is_standard_emoji(reaction["emoji_name"]):
                    names.wanted_emoji.setdefault(reaction["emoji_name"], line)
            for place in post["attachments"]:
                if not source.has_attachment(place):
                    raise LineError(line, f"{prefix}.attachments.path", f"{place} is not in the file")
    elif kind in SKIPPED_TYPES and kind not in summary.skipped:
        summary.warnings.append(f"line {line}: {kind} lines are skipped (roles here are built in)")
    if kind in SKIPPED_TYPES:
        summary.count(kind, False)


class Loader:
    """The second pass. Holds ids by name for teams, channels, users and conversations (a few
    thousand), and one batch of posts at a time."""

    def __init__(
        self,
        rt: Runtime,
        source: Source,
        summary: Summary,
        progress: Progress | None,
        lines: Iterable[tuple[int, str, dict[str, Any]]] | None = None,
    ) -> None:
        """`lines`: what validate() kept (CheckedLines); without it the source is read again."""
        self.rt, self.source, self.summary, self.progress = rt, source, summary, progress
        self.lines = lines
        self.storage = storage_for(rt.settings)
        self.team_ids: dict[str, str] = {}
        self.channel_ids: dict[tuple[str, str], str] = {}
        self.user_ids: dict[str, str] = {}
        self.batch: list[tuple[str, dict[str, Any]]] = []
        self.user_batch: list[dict[str, Any]] = []
        self.batch_size = 0
        self.touched_channels: set[str] = set()
        self.written = 0

    async def load(self) -> None:
        lines = self.lines if self.lines is not None else _parsed(self.source)
        for _number, kind, data in lines:
            if kind in ("post", "direct_post"):
                await self._flush_users()
                channel_id = await self._post_channel(kind, data)
                self.batch.append((channel_id, data))
                self.batch_size += 1 + len(data["replies"])
                if self.batch_size >= BATCH:
                    await self._flush()
                continue
            await self._flush()
            if kind != "user":
                await self._flush_users()
            handler = getattr(self, f"_{kind}", None)
            if handler is not None:
                await handler(data)
        await self._flush()
        await self._flush_users()
        async with self.rt.db.write() as conn:
            await conn.run_sync(import_store.mark_history_read, sorted(self.touched_channels))

    # -- teams, channels, users ---------------------------------------------------------------

    async def _team_id(self, name: str) -> str:
        if name not in self.team_ids:
            async with self.rt.db.read() as conn:
                found = await conn.scalar(select(teams.c.id).where(teams.c.name == name))
            assert found is not None, name
            self.team_ids[name] = found
        return self.team_ids[name]

    async def _channel_id(self, team: str, name: str) -> str:
        key = (team, name)
        if key not in self.channel_ids:
            team_id = await self._team_id(team)
            async with self.rt.db.read() as conn:
                found = await conn.scalar(
                    select(channels.c.id).where(channels.c.team_id == team_id, channels.c.name == name)
                )
            assert found is not None, key
            self.channel_ids[key] = found
        return self.channel_ids[key]

    async def _user_id(self, username: str) -> str:
        if username not in self.user_ids:
            async with self.rt.db.read() as conn:
                found = await conn.scalar(select(users.c.id).where(users.c.username == username))
            assert found is not None, username
            self.user_ids[username] = found
        return self.user_ids[username]

    async def _version(self, _data: dict[str, Any]) -> None:
        return None

    async def _team(self, data: dict[str, Any]) -> None:
        async with self.rt.db.write() as conn:
            existing = await conn.scalar(select(teams.c.id).where(teams.c.name == data["name"]))
            if existing is not None:
                self.team_ids[data["name"]] = existing
                self.summary.count("team", False)
                return
            now = now_ms()
            team_id = new_id()
            await conn.execute(
                teams.insert().values(
                    id=team_id,
                    create_at=now,
                    update_at=now,
                    delete_at=0,
                    display_name=data["display_name"],
                    name=data["name"],
                    description=data["description"],
                    type=data["type"],
                    invite_id=new_id(),
                    invite_id_at=now,
                    allow_open_invite=data["allow_open_invite"],
                )
            )
            # Every team has its default channels, as one made through the API does.
            for name, display_name in DEFAULT_CHANNELS:
                await conn.execute(
                    channels.insert().values(**_channel_values(team_id, "O", name, display_name))
                )
        self.team_ids[data["name"]] = team_id
        self.summary.count("team", True)

    async def _channel(self, data: dict[str, Any]) -> None:
        team_id = await self._team_id(data["team"])
        async with self.rt.db.write() as conn:
            existing = await conn.scalar(
                select(channels.c.id).where(channels.c.team_id == team_id, channels.c.name == data["name"])
            )
            created = existing is None
            if existing is None:
                values = _channel_values(team_id, data["type"], data["name"], data["display_name"])
                values.update(header=data["header"], purpose=data["purpose"], delete_at=data["deleted_at"])
                await conn.execute(channels.insert().values(**values))
                existing = values["id"]
        self.summary.count("channel", created)
        self.channel_ids[(data["team"], data["name"])] = existing

    async def _user(self, data: dict[str, Any]) -> None:
        self.user_batch.append(data)
        if len(self.user_batch) >= USER_BATCH:
            await self._flush_users()

    async def _flush_users(self, *, bot: bool = False) -> None:
        """Writes a batch of user (or bot) lines in one transaction: the users that are new,
        and every membership and favourite the lines list that is missing. Users already here
        keep their rows, passwords included."""
        if not self.user_batch:
            return
        batch, self.user_batch = self.user_batch, []
        async with self.rt.db.write() as conn:
            found = dict(
                (
                    await conn.execute(
                        select(users.c.username, users.c.id).where(
                            users.c.username.in_([d["username"] for d in batch])
                        )
                    )
                ).all()
            )
            rows = _UserRows()
            now = now_ms()
            for data in batch:
                user_id = found.get(data["username"])
                created = user_id is None
                if user_id is None:
                    user_id = new_id()
                    rows.users.append(_user_values(user_id, now, data, bot=bot))
                    rows.preferences += [
                        {
                            "user_id": user_id,
                            "category": PREFERENCE_FIELDS[k][0],
                            "name": PREFERENCE_FIELDS[k][1],
                            "value": v,
                        }
                        for k, v in data.get("preferences", {}).items()
                    ]
                self.user_ids[data["username"]] = user_id
                await self._memberships(rows, user_id, data, now)
                self.summary.count("bot" if bot else "user", created)
            await conn.run_sync(
                import_store.insert_users,
                rows.users,
                rows.team_members,
                rows.channel_members,
                rows.preferences,
            )

    async def _memberships(self, rows: "_UserRows", user_id: str, data: dict[str, Any], now: int) -> None:
        guest = "system_guest" in data["roles"].split()
        for team in data.get("teams", []):
            team_id = await self._team_id(team["name"])
            admin = "team_admin" in team["roles"].split() and not guest
            rows.team_members.append(
                {
                    "team_id": team_id,
                    "user_id": user_id,
                    "roles": "team_guest" if guest else "team_user team_admin" if admin else "team_user",
                    "scheme_admin": admin,
                    "create_at": now,
                    "delete_at": 0,
                }
            )
            for channel in team["channels"]:
                channel_id = await self._channel_id(team["name"], channel["name"])
                self.touched_channels.add(channel_id)
                rows.channel_members.append(
                    _member_values(
                        channel_id,
                        user_id,
                        now,
                        guest=guest,
                        admin="channel_admin" in channel["roles"].split(),
                        notify_props=channel["notify_props"],
                    )
                )
                if channel["favorite"]:
                    rows.preferences.append(
                        {
                            "user_id": user_id,
                            "category": FAVORITE_PREFERENCE,
                            "name": channel_id,
                            "value": "true",
                        }
                    )

    async def _bot(self, data: dict[str, Any]) -> None:
        values = {
            "username": data["username"],
            "email": f"{data['username']}@localhost",
            "first_name": data["display_name"],
            "delete_at": data["delete_at"],
            "roles": "system_user",
        }
        await self._flush_users()
        self.user_batch.append(values)
        await self._flush_users(bot=True)

    async def _emoji(self, data: dict[str, Any]) -> None:
        async with self.rt.db.read() as conn:
            found = await conn.run_sync(import_store.live_emoji_names, [data["name"]])
        if found:
            self.summary.count("emoji", False)
            return
        emoji_id = new_id()
        image = self.source.read_attachment(data["image"], 1024 * 1024)
        await self.storage.write(emoji_image_key(emoji_id), _once(image))
        now = now_ms()
        async with self.rt.db.write() as conn:
            await conn.execute(
                emoji.insert().values(
                    id=emoji_id, create_at=now, update_at=now, delete_at=0, creator_id="", name=data["name"]
                )
            )
        self.summary.count("emoji", True)

    async def _direct_channel(self, data: dict[str, Any]) -> None:
        channel_id, created = await self._conversation(data["members"], data["header"])
        favorites = [
            {
                "user_id": self.user_ids[u],
                "category": FAVORITE_PREFERENCE,
                "name": channel_id,
                "value": "true",
            }
            for u in data["favorited_by"]
        ]
        async with self.rt.db.write() as conn:
            await conn.run_sync(import_store.insert_batch, [], [], [], favorites)
        self.summary.count("direct_channel", created)

    async def _conversation(self, members: list[str], header: str = "") -> tuple[str, bool]:
        user_ids = sorted({await self._user_id(u) for u in members})
        name = direct_channel_name(*user_ids) if len(members) == 2 else group_channel_name(user_ids)
        key = ("", name)
        if key in self.channel_ids:
            return self.channel_ids[key], False
        async with self.rt.db.write() as conn:
            channel_id = await conn.scalar(
                select(channels.c.id).where(channels.c.team_id == "", channels.c.name == name)
            )
            created = channel_id is None
            if channel_id is None:
                display = "" if len(members) == 2 else ", ".join(sorted(members))
                values = _channel_values("", "D" if len(members) == 2 else "G", name, display)
                values["header"] = header
                await conn.execute(channels.insert().values(**values))
                channel_id = values["id"]
                member_rows = [_member_values(channel_id, user_id, now_ms()) for user_id in user_ids]
                await conn.run_sync(import_store.insert_users, [], [], member_rows, [])
        self.channel_ids[key] = channel_id
        self.touched_channels.add(channel_id)
        return channel_id, created

    # -- posts ----------------------------------------------------------------------------------

    async def _post_channel(self, kind: str, data: dict[str, Any]) -> str:
        if kind == "post":
            return await self._channel_id(data["team"], data["channel"])
        channel_id, _created = await self._conversation(data["channel_members"])
        return channel_id

    async def _flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch, self.batch_size = self.batch, [], 0
        keys: list[import_store.PostKey] = []
        for channel_id, data in batch:
            for post in [data, *data["replies"]]:
                post["user_id"] = await self._user_id(post["user"])
                keys.append((channel_id, post["user_id"], post["create_at"], post["message"]))
        async with self.rt.db.read() as conn:
            existing = await conn.run_sync(import_store.existing_posts, keys)
        rows = _Rows()
        for channel_id, data in batch:
            root_id = existing.get((channel_id, data["user_id"], data["create_at"], data["message"]))
            if root_id is None:
                root_id = await self._new_post(rows, channel_id, data, "")
            for reply in data["replies"]:
                if (channel_id, reply["user_id"], reply["create_at"], reply["message"]) not in existing:
                    await self._new_post(rows, channel_id, reply, root_id)
                    rows.roots.add(root_id)
        skipped = len(keys) - len(rows.posts)
        async with self.rt.db.write() as conn:
            await conn.run_sync(
                import_store.insert_batch, rows.posts, rows.reactions, rows.files, rows.preferences
            )
            await conn.run_sync(import_store.count_posts, rows.posts)
            await conn.run_sync(import_store.refresh_threads, sorted(rows.roots))
        self.touched_channels.update(p["channel_id"] for p in rows.posts)
        self.summary.created["post"] = self.summary.created.get("post", 0) + len(rows.posts)
        if skipped:
            self.summary.skipped["post"] = self.summary.skipped.get("post", 0) + skipped
        self.written += len(keys)
        if self.progress is not None:
            self.progress(self.written)

    async def _new_post(self, rows: "_Rows", channel_id: str, data: dict[str, Any], root_id: str) -> str:
        post_id = new_id()
        file_ids = []
        for place in data["attachments"]:
            file_row = await self._store_attachment(
                place, post_id, channel_id, data["user_id"], data["create_at"]
            )
            rows.files.append(file_row)
            file_ids.append(file_row["id"])
        at = data["create_at"]
        rows.posts.append(
            {
                "id": post_id,
                "create_at": at,
                "update_at": max(at, data["edit_at"]),
                "edit_at": data["edit_at"],
                "delete_at": 0,
                "is_pinned": data["is_pinned"],
                "user_id": data["user_id"],
                "channel_id": channel_id,
                "root_id": root_id,
                "original_id": "",
                "message": data["message"],
                "type": data["type"],
                "props": data["props"],
                "hashtags": parse_hashtags(data["message"]),
                "file_ids": file_ids,
                "pending_post_id": "",
            }
        )
        for reaction in data["reactions"]:
            rows.reactions.append(
                {
                    "user_id": await self._user_id(reaction["user"]),
                    "post_id": post_id,
                    "emoji_name": reaction["emoji_name"],
                    "channel_id": channel_id,
                    "create_at": reaction["create_at"],
                }
            )
        for username in data["flagged_by"]:
            rows.preferences.append(
                {
                    "user_id": await self._user_id(username),
                    "category": "flagged_post",
                    "name": post_id,
                    "value": "true",
                }
            )
        return post_id

    async def _store_attachment(
        self, place: str, post_id: str, channel_id: str, user_id: str, at: int
    ) -> dict[str, Any]:
        data = self.source.read_attachment(place, min(MAX_ATTACHMENT_BYTES, self.rt.settings.max_file_size))
        file_id = new_id()
        name = content_types.clean_name(place.rsplit("/", 1)[-1]) or "file"
        extension = content_types.extension_of(name)
        key = file_key(at, file_id, "original")
        await self.storage.write(key, _once(data))
        return {
            "id": file_id,
            "creator_id": user_id,
            "post_id": post_id,
            "channel_id": channel_id,
            "create_at": at,
            "update_at": at,
            "delete_at": 0,
            "path": key,
            "thumbnail_path": "",
            "preview_path": "",
            "name": name,
            "extension": extension,
            "size": len(data),
            "mime_type": content_types.sniff(data[:512], extension),
            "width": 0,
            "height": 0,
            "has_preview_image": False,
            "mini_preview": None,
        }


@dataclass
class _Rows:
    posts: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    preferences: list[dict[str, Any]] = field(default_factory=list)
    roots: set[str] = field(default_factory=set)


def _channel_values(team_id: str, channel_type: str, name: str, display_name: str) -> dict[str, Any]:
    now = now_ms()
    return {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "team_id": team_id,
        "type": channel_type,
        "display_name": display_name,
        "name": name,
        "header": "",
        "purpose": "",
        "creator_id": "",
        "props": {},
    }


def _user_values(user_id: str, now: int, data: dict[str, Any], *, bot: bool) -> dict[str, Any]:
    return {
        "id": user_id,
        "create_at": now,
        "update_at": now,
        "delete_at": data.get("delete_at", 0),
        "username": data["username"],
        "email": data["email"],
        # The address came from the old server, which had it in use; a reset mail reaches it.
        "email_verified": True,
        # No usable password: imported people sign in after a password reset, or through SSO.
        "password_hash": "",
        "nickname": data.get("nickname", ""),
        "first_name": data.get("first_name", ""),
        "last_name": data.get("last_name", ""),
        "position": data.get("position", ""),
        "roles": data["roles"],
        "locale": data.get("locale", "en"),
        "timezone": {},
        "notify_props": data.get("notify_props", {}),
        "props": {},
        "last_password_update": 0,
        "last_picture_update": 0,
        "is_bot": bot,
        "auth_service": data.get("auth_service", ""),
        "auth_data": data.get("auth_data"),
    }


def _member_values(
    channel_id: str,
    user_id: str,
    now: int,
    *,
    guest: bool = False,
    admin: bool = False,
    notify_props: dict[str, str] | None = None,
) -> dict[str, Any]:
    roles = "channel_guest" if guest else "channel_user channel_admin" if admin else "channel_user"
    # The counts start at nothing read; mark_history_read sets them once the posts are in.
    return {
        "channel_id": channel_id,
        "user_id": user_id,
        "roles": roles,
        "scheme_admin": admin and not guest,
        "last_viewed_at": 0,
        "msg_count": 0,
        "msg_count_root": 0,
        "mention_count": 0,
        "mention_count_root": 0,
        "urgent_mention_count": 0,
        "notify_props": notify_props or {},
        "last_update_at": now,
    }


@dataclass
class _UserRows:
    users: list[dict[str, Any]] = field(default_factory=list)
    team_members: list[dict[str, Any]] = field(default_factory=list)
    channel_members: list[dict[str, Any]] = field(default_factory=list)
    preferences: list[dict[str, Any]] = field(default_factory=list)


async def _once(data: bytes) -> Any:
    yield data


__all__ = ["CheckedLines", "LineError", "Loader", "Source", "SourceError", "Summary", "validate"]
