"""Data retention at scale: delete N expired posts (with reactions and search entries) while a
"request" runs every 50 ms beside it in the same process, as requests would in the server that
runs the job, and compare the request's latency with and without the deletion going on.

The request is what a user's message costs: `create_post` (a write transaction through the same
single SQLite writer the deletion uses) followed by a read of the channel's newest page. Posts
are written straight into a fresh database, then indexed for search as `villagepump search
reindex` does, so the purge also pays for its search rows.

    .venv/bin/python bench/retention.py --db sqlite --posts 100000
"""

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.server import create_postgres_database, drop_postgres_database  # noqa: E402

from villagepump.actions import posts as post_actions  # noqa: E402
from villagepump.actions.retention import run_retention  # noqa: E402
from villagepump.app import make_runtime, start_runtime, stop_runtime  # noqa: E402
from villagepump.auth import Caller  # noqa: E402
from villagepump.config import Settings  # noqa: E402
from villagepump.jobs.retention import OTHER_DELETIONS  # noqa: E402
from villagepump.runtime import Runtime  # noqa: E402
from villagepump.search.reindex import reindex  # noqa: E402
from villagepump.store import posts as post_store  # noqa: E402
from villagepump.store.tables import (  # noqa: E402
    channel_members,
    channels,
    posts,
    reactions,
    team_members,
    teams,
    users,
)

TEAM = "t" * 26
USER = "u" * 26
DAY_MS = 86_400_000
PROBE_EVERY = 0.05


def _corpus(conn: Connection, total: int, channel_count: int, now: int) -> None:
    """`total` posts older than 90 days over `channel_count` channels, a tenth with a reaction,
    a tenth replies; the user is in every channel and has read everything."""
    conn.execute(insert(users).values(id=USER, username="reader", email="reader@bench.test"))
    conn.execute(insert(teams).values(id=TEAM, name="bench", display_name="Bench", invite_id="i" * 26))
    conn.execute(insert(team_members).values(team_id=TEAM, user_id=USER))
    per_channel = total // channel_count
    old = now - 200 * DAY_MS
    conn.execute(
        insert(channels),
        [
            {
                "id": f"c{n:025d}",
                "team_id": TEAM,
                "type": "O",
                "name": f"channel-{n}",
                "display_name": f"C{n}",
                "total_msg_count": per_channel,
                "total_msg_count_root": per_channel - per_channel // 10,
                "last_post_at": old + per_channel,
            }
            for n in range(channel_count)
        ],
    )
    conn.execute(
        insert(channel_members),
        [
            {
                "channel_id": f"c{n:025d}",
                "user_id": USER,
                "msg_count": per_channel,
                "msg_count_root": per_channel - per_channel // 10,
                "last_viewed_at": old + per_channel,
            }
            for n in range(channel_count)
        ],
    )
    batch: list[dict[str, Any]] = []
    liked: list[dict[str, Any]] = []
    for n in range(per_channel * channel_count):
        channel_id = f"c{n % channel_count:025d}"
        index = n // channel_count
        root = f"p{(n - channel_count):025d}" if index % 10 == 9 else ""
        batch.append(
            {
                "id": f"p{n:025d}",
                "create_at": old + index,
                "update_at": old + index,
                "user_id": USER,
                "channel_id": channel_id,
                "root_id": root,
                "message": f"message number {n} about the weekly meeting and the release",
                "props": {},
                "file_ids": [],
            }
        )
        if n % 10 == 3:
            liked.append(
                {"user_id": USER, "post_id": f"p{n:025d}", "emoji_name": "smile", "channel_id": channel_id}
            )
        if len(batch) == 5000:
            conn.execute(insert(posts), batch)
            if liked:
                conn.execute(insert(reactions), liked)
            batch.clear()
            liked.clear()
    if batch:
        conn.execute(insert(posts), batch)
    if liked:
        conn.execute(insert(reactions), liked)


async def _probe(rt: Runtime, caller: Caller, channel_id: str) -> float:
    started = time.perf_counter()
    await post_actions.create_post(rt, caller, channel_id, post_actions.Draft("probe"))
    async with rt.db.read() as conn:
        await post_store.channel_page(conn, channel_id, 0, 60, False)
    return (time.perf_counter() - started) * 1000


async def _probing(rt: Runtime, stop: asyncio.Event, latencies: list[float]) -> None:
    caller = Caller(user_id=USER, session_id="s" * 26, roles=frozenset({"system_user"}))
    while not stop.is_set():
        latencies.append(await _probe(rt, caller, "c" + "0" * 25))
        await asyncio.sleep(PROBE_EVERY)


def _summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"n={len(ordered)} p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms"


async def run(args: argparse.Namespace, pg_url: str) -> None:
    folder = Path(tempfile.mkdtemp())
    url = "" if args.db == "sqlite" else "postgresql+asyncpg://" + pg_url.split("://", 1)[1]
    settings = Settings(
        data_dir=folder,
        database_url=url,
        enable_message_deletion=True,
        retention_batch_size=args.batch,
        retention_batch_pause_ms=args.pause_ms,
    )
    rt = make_runtime(settings)
    await start_runtime(rt, run_jobs=False)
    try:
        now = int(time.time() * 1000)
        started = time.perf_counter()
        async with rt.db.write() as conn:
            await conn.run_sync(_corpus, args.posts, args.channels, now)
        indexed, _ = await reindex(rt.db)
        print(f"corpus: {args.posts:,} posts ({indexed:,} indexed) in {time.perf_counter() - started:.0f} s")

        stop, baseline = asyncio.Event(), []
        probing = asyncio.create_task(_probing(rt, stop, baseline))
        await asyncio.sleep(args.baseline_seconds)
        stop.set()
        await probing

        stop, during = asyncio.Event(), []
        probing = asyncio.create_task(_probing(rt, stop, during))
        started = time.perf_counter()
        report = await run_retention(rt, OTHER_DELETIONS)
        wall = time.perf_counter() - started
        stop.set()
        await probing
        print(
            f"engine: {args.db}; deleted {report.posts:,} posts in {wall:.1f} s ({report.posts / wall:,.0f} posts/s); "
            f"batch {args.batch}, pause {args.pause_ms} ms"
        )
        print(f"request alone:          {_summary(baseline)}")
        print(f"request during purge:   {_summary(during)}")
    finally:
        await stop_runtime(rt)
        if not args.keep:
            await asyncio.to_thread(shutil.rmtree, folder, True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--posts", type=int, default=100_000, help="expired posts (the issue asks 1,000,000)")
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1000, help="DataRetentionSettings.BatchSize")
    parser.add_argument("--pause-ms", type=int, default=100, help="TimeBetweenBatchesMilliseconds")
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    pg_url = create_postgres_database() if args.db == "postgresql" else ""
    try:
        asyncio.run(run(args, pg_url))
    finally:
        if pg_url:
            drop_postgres_database(pg_url)


if __name__ == "__main__":
    main()
