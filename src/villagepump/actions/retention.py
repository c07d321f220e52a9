"""Data retention: custom policies (admins' writes) and the deletion of what is past its cutoff.

The deletion runs in small steps so that it never stalls the server: each batch's posts are
found on a read connection, their stored files deleted with no transaction open, then the rows
go in one short write transaction, and the task sleeps between batches so that requests
queued for SQLite's single writer get their turn (decision 0032). No event is sent per
deleted post, as in Mattermost: clients purge by the policy (the mobile app) or do not show
what they did not load (the web client reloads a channel's posts when it opens it).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.actions.transaction import transaction
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.files.storage import storage_for
from villagepump.ids import is_valid_id, new_id
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import retention as retention_store
from villagepump.store import teams as team_store

log = logging.getLogger("villagepump.retention")

DAY_MS = 24 * 60 * 60 * 1000
DISPLAY_NAME_MAX = 64


# -- policies ------------------------------------------------------------------------------------


def global_cutoffs(settings: Settings, now: int) -> tuple[int | None, int | None]:
    """Before when the global policy deletes messages and files; None where it is off."""
    message = now - settings.message_retention_ms if settings.enable_message_deletion else None
    file = now - settings.file_retention_ms if settings.enable_file_deletion else None
    return message, file


def check_display_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > DISPLAY_NAME_MAX:
        raise errors.bad_request(
            "model.retention_policy.is_valid.display_name.app_error",
            f"The display name must be 1 to {DISPLAY_NAME_MAX} characters.",
        )
    return value.strip()


def check_post_duration(value: object) -> int:
    """Days; a negative number keeps messages forever, as in Mattermost. At least one day."""
    if isinstance(value, bool) or not isinstance(value, int) or value == 0 or value > 1_000_000:
        raise errors.bad_request(
            "model.retention_policy.is_valid.post_duration.app_error",
            "The post duration must be a number of days, 1 or more (or -1 to keep forever).",
        )
    return value


def check_ids(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or len(value) > 10_000 or not all(is_valid_id(i) for i in value):
        raise errors.invalid_body(name)
    return list(dict.fromkeys(value))


def _not_found() -> errors.APIError:
    return errors.not_found("policy", "app.data_retention.get_policy.app_error")


async def _require_known(conn: AsyncConnection, team_ids: Sequence[str], channel_ids: Sequence[str]) -> None:
    """Refuses ids of teams or channels that do not exist, rather than store a dangling policy."""
    for team_id in team_ids:
        if await team_store.get_team(conn, team_id) is None:
            raise errors.bad_request("app.data_retention.team_not_found.app_error", "A team was not found.")
    if channel_ids and len(await channel_store.get_channels(conn, list(channel_ids))) != len(channel_ids):
        raise errors.bad_request("app.data_retention.channel_not_found.app_error", "A channel was not found.")


async def create_policy(
    rt: Runtime, display_name: str, post_duration: int, team_ids: list[str], channel_ids: list[str]
) -> Row:
    policy_id = new_id()
    async with transaction(rt) as tx:
        await _require_known(tx.conn, team_ids, channel_ids)
        await retention_store.insert_policy(tx.conn, policy_id, display_name, post_duration)
        await retention_store.assign(tx.conn, retention_store.TEAMS, policy_id, team_ids)
        await retention_store.assign(tx.conn, retention_store.CHANNELS, policy_id, channel_ids)
        policy = await retention_store.get_policy(tx.conn, policy_id)
    assert policy is not None
    return policy


@dataclass(frozen=True)
class PolicyPatch:
    display_name: str | None = None
    post_duration: int | None = None
    # Given, they replace the policy's teams or channels.
    team_ids: list[str] | None = None
    channel_ids: list[str] | None = None


async def patch_policy(rt: Runtime, policy_id: str, patch: PolicyPatch) -> Row:
    values: dict[str, object] = {}
    if patch.display_name is not None:
        values["display_name"] = patch.display_name
    if patch.post_duration is not None:
        values["post_duration"] = patch.post_duration
    async with transaction(rt) as tx:
        if await retention_store.get_policy(tx.conn, policy_id) is None:
            raise _not_found()
        await _require_known(tx.conn, patch.team_ids or [], patch.channel_ids or [])
        if values:
            await retention_store.update_policy(tx.conn, policy_id, values)
        for scope, ids in (
            (retention_store.TEAMS, patch.team_ids),
            (retention_store.CHANNELS, patch.channel_ids),
        ):
            if ids is not None:
                await retention_store.replace(tx.conn, scope, policy_id, ids)
        policy = await retention_store.get_policy(tx.conn, policy_id)
    assert policy is not None
    return policy


async def delete_policy(rt: Runtime, policy_id: str) -> None:
    async with transaction(rt) as tx:
        if not await retention_store.delete_policy(tx.conn, policy_id):
            raise _not_found()


async def change_members(
    rt: Runtime, policy_id: str, scope: retention_store.Scope, ids: list[str], *, add: bool
) -> None:
    """Adds teams or channels to the policy (moving them from another), or takes them off it."""
    async with transaction(rt) as tx:
        if await retention_store.get_policy(tx.conn, policy_id) is None:
            raise _not_found()
        if add:
            is_team = scope is retention_store.TEAMS
            await _require_known(tx.conn, ids if is_team else [], [] if is_team else ids)
            await retention_store.assign(tx.conn, scope, policy_id, ids)
        else:
            await retention_store.unassign(tx.conn, scope, policy_id, ids)


# -- deletion ------------------------------------------------------------------------------------


# Another store's own deletion, registered in jobs/retention.py: a name for the report, the
# cutoff it applies from the settings and the run's time (None: nothing to delete now), and the
# deletion itself, run in one write transaction, returning how many rows went.
@dataclass(frozen=True)
class RetentionTarget:
    name: str
    cutoff: Callable[[Settings, int], int | None]
    delete: Callable[[AsyncConnection, int], Awaitable[int]]


@dataclass
class RetentionReport:
    posts: int = 0
    files: int = 0
    others: dict[str, int] = field(default_factory=dict)
    # False when the run was asked to stop (its job canceled) before it finished.
    finished: bool = True

    def as_job_data(self) -> dict[str, str]:
        data = {"deleted_posts": str(self.posts), "deleted_files": str(self.files)}
        data.update({f"deleted_{name}": str(count) for name, count in self.others.items()})
        return data


# Asked between batches: False stops the run (the job's claim lapsed, or it was canceled).
KeepGoing = Callable[[], Awaitable[bool]]


async def _always() -> bool:
    return True


async def channel_cutoffs(rt: Runtime, now: int) -> dict[str, int]:
    """Each channel's message cutoff: its own policy's, else its team's, else the global one.
    Channels kept forever (a negative duration, or no policy and the global one off) are left out."""
    message_cutoff, _ = global_cutoffs(rt.settings, now)
    async with rt.db.read(offload=True) as conn:
        by_channel = await retention_store.channel_durations(conn)
        by_team = await retention_store.team_durations(conn)
        every = await retention_store.all_channel_teams(conn)
    cutoffs: dict[str, int] = {}
    for channel_id, team_id in every:
        days = by_channel.get(channel_id, by_team.get(team_id))
        if days is None:
            if message_cutoff is not None:
                cutoffs[channel_id] = message_cutoff
        elif days > 0:
            cutoffs[channel_id] = now - days * DAY_MS
    return cutoffs


async def run_retention(
    rt: Runtime, targets: Sequence[RetentionTarget] = (), keep_going: KeepGoing = _always
) -> RetentionReport:
    """Deletes every post, file and registered target's rows past its cutoff, in batches."""
    now = now_ms_of(rt.clock)
    report = RetentionReport()
    pace = _Pace(rt.settings.retention_batch_size, adaptive=rt.settings.is_sqlite)
    for channel_id, cutoff in (await channel_cutoffs(rt, now)).items():
        if not await _delete_channel_posts(rt, channel_id, cutoff, report, keep_going, pace):
            report.finished = False
            return report
    _, file_cutoff = global_cutoffs(rt.settings, now)
    if file_cutoff is not None and not await _delete_files(rt, file_cutoff, report, keep_going):
        report.finished = False
        return report
    for target in targets:
        target_cutoff = target.cutoff(rt.settings, now)
        if target_cutoff is not None:
            async with transaction(rt) as tx:
                report.others[target.name] = await target.delete(tx.conn, target_cutoff)
    return report


# How long one batch's write transaction should hold SQLite: it has one writer, and
# a request that writes waits for the batch in progress. Deleting a post costs from ~0.1 ms to
# several ms (its search entry, a WAL checkpoint, a busy machine), so the batch size follows
# the time the last batch took, up to BatchSize (bench/retention.py).
BATCH_TARGET_SECONDS = 0.05
FIRST_BATCH = 50


@dataclass
class _Pace:
    limit: int
    # On PostgreSQL writers do not queue behind one another (a batch locks only its channel's
    # row), so batches go at BatchSize.
    adaptive: bool = True
    size: int = FIRST_BATCH

    def __post_init__(self) -> None:
        self.size = min(self.size, self.limit) if self.adaptive else self.limit

    def took(self, seconds: float) -> None:
        if not self.adaptive:
            return
        if seconds > BATCH_TARGET_SECONDS:
            self.size = max(1, int(self.size * BATCH_TARGET_SECONDS / seconds))
        elif seconds < BATCH_TARGET_SECONDS / 2:
            self.size = min(self.limit, self.size * 2)


async def _delete_channel_posts(
    rt: Runtime,
    channel_id: str,
    cutoff: int,
    report: RetentionReport,
    keep_going: KeepGoing,
    pace: _Pace,
) -> bool:
    storage = storage_for(rt.settings)
    while True:
        async with rt.db.read(offload=True) as conn:
            batch = await retention_store.expired_posts(conn, channel_id, cutoff, pace.size)
            if not batch:
                return True
            ids = [row["id"] for row in batch]
            keys = await retention_store.file_keys_of_posts(conn, ids)
        # Bytes before rows: a crash in between leaves rows whose bytes are gone, which the
        # next run deletes; the other order would leave bytes no row points to.
        await storage.delete_many(keys)
        started = time.perf_counter()
        async with transaction(rt) as tx:
            report.posts += await retention_store.delete_posts(tx.conn, channel_id, ids)
        pace.took(time.perf_counter() - started)
        if not await _pause(rt, keep_going):
            return False


async def _delete_files(rt: Runtime, cutoff: int, report: RetentionReport, keep_going: KeepGoing) -> bool:
    storage = storage_for(rt.settings)
    while True:
        async with rt.db.read(offload=True) as conn:
            batch = await retention_store.expired_files(conn, cutoff, rt.settings.retention_batch_size)
        if not batch:
            return True
        keys = [row[k] for row in batch for k in ("path", "thumbnail_path", "preview_path") if row[k]]
        await storage.delete_many(keys)
        async with transaction(rt) as tx:
            report.files += await retention_store.delete_file_records(tx.conn, [row["id"] for row in batch])
        if not await _pause(rt, keep_going):
            return False


async def _pause(rt: Runtime, keep_going: KeepGoing) -> bool:
    # Real time, not rt.clock: the pause is there so that real requests waiting for the database
    # get it, and a manual clock (tests) would never let it end.
    await asyncio.sleep(rt.settings.retention_batch_pause_ms / 1000)
    return await keep_going()
