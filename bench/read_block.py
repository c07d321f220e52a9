"""The cost of one `Database.read()` block of two short statements, against how it was opened before.

    .venv/bin/python bench/read_block.py --db sqlite
    .venv/bin/python bench/read_block.py --db postgresql

"now" is `Database.read()`. "before" is how the same block was opened until 2026-12-06: on
SQLite, SQLAlchemy's `async with engine.connect()`, which closes the connection in a task of its
own (a turn of the event loop); on PostgreSQL, a read inside a transaction (BEGIN, and a
ROLLBACK when the connection goes back to the pool). The two alternate, `--rounds` times,
`--blocks` blocks each; the figures are this process's CPU and wall time per block.

    .venv/bin/python bench/read_block.py --db sqlite --statements

compares instead a block of the two reads nearly every channel route makes (the channel, and
the caller's membership) as the store makes them, from statements built once at import
("prebuilt"), against the same statements built at each call ("built"), and an empty block.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.server import create_postgres_database, drop_postgres_database  # noqa: E402

from villagepump.store import channels as channel_store  # noqa: E402
from villagepump.store.database import Database  # noqa: E402
from villagepump.store.tables import channel_members, channels  # noqa: E402


async def _blocks(open_block: Any, blocks: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(blocks):
        block: AbstractAsyncContextManager[Any] = open_block()
        async with block as conn:
            await conn.execute(text("SELECT 1"))
            await conn.execute(text("SELECT 2"))
    return (time.process_time() - cpu) / blocks * 1e6, (time.perf_counter() - wall) / blocks * 1e6


async def measure(url: str, rounds: int, blocks: int) -> None:
    db = Database(url)
    await db.migrate()
    before = db._reader.connect if db.is_sqlite else db._writer.connect
    try:
        for _ in range(rounds):
            for name, open_block in (("now", db.read), ("before", before)):
                cpu, wall = await _blocks(open_block, blocks)
                print(f"{name:7s} CPU {cpu:7.1f} µs  wall {wall:7.1f} µs  per block", flush=True)
    finally:
        await db.close()


async def _built(conn: Any) -> None:
    await conn.execute(select(channels).where(channels.c.id == "c" * 26))
    member = channel_members.c
    await conn.execute(
        select(channel_members).where(member.channel_id == "c" * 26, member.user_id == "u" * 26)
    )


async def _prebuilt(conn: Any) -> None:
    await channel_store.get_channel(conn, "c" * 26)
    await channel_store.get_member(conn, "c" * 26, "u" * 26)


async def _empty(conn: Any) -> None:
    pass


async def measure_statements(url: str, rounds: int, blocks: int) -> None:
    db = Database(url)
    await db.migrate()
    try:
        for _ in range(rounds):
            for name, body in (("empty", _empty), ("built", _built), ("prebuilt", _prebuilt)):
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(blocks):
                    async with db.read() as conn:
                        await body(conn)
                cpu = (time.process_time() - cpu) / blocks * 1e6
                wall = (time.perf_counter() - wall) / blocks * 1e6
                print(f"{name:9s} CPU {cpu:7.1f} µs  wall {wall:7.1f} µs  per block", flush=True)
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=3000)
    parser.add_argument("--statements", action="store_true", help="statements built once against per call")
    args = parser.parse_args()
    run = measure_statements if args.statements else measure
    if args.db == "sqlite":
        path = Path(tempfile.mkdtemp()) / "read_block.db"
        asyncio.run(run(f"sqlite+aiosqlite:///{path}", args.rounds, args.blocks))
        return
    url = create_postgres_database()
    try:
        asyncio.run(run("postgresql+asyncpg://" + url.split("://", 1)[1], args.rounds, args.blocks))
    finally:
        drop_postgres_database(url)


if __name__ == "__main__":
    main()
