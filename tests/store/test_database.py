"""SQLite under load: a write never lets other work run while it holds the one write lock, and a
channel's pages are read from the index made for them, not by walking every channel's posts."""

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from villagepump.store import posts as post_store
from villagepump.store.database import Database


def _with_database(tmp_path: Path, scenario: Callable[[Database], Awaitable[None]]) -> None:
    async def run() -> None:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'villagepump.db'}")
        await database.migrate()
        try:
            await scenario(database)
        finally:
            await database.close()

    asyncio.run(run())


def test_a_sqlite_write_gives_the_loop_no_turn_while_it_holds_the_lock(tmp_path: Path) -> None:
    _with_database(tmp_path, _write_and_read_without_a_turn)


async def _write_and_read_without_a_turn(db: Database) -> None:
    # Any turn the loop took inside the block would be taken with the write lock held; under load
    # a turn is tens of milliseconds, and every other write would queue behind it.
    loop = asyncio.get_running_loop()
    for _ in range(3):
        turns: list[str] = []
        loop.call_soon(turns.append, "a turn")
        async with db.write() as conn:
            await conn.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
        async with db.read() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM t")) > 0
        assert turns == []
    await asyncio.sleep(0)
    assert turns == ["a turn"]


def test_a_failed_write_rolls_back_and_frees_the_writer(tmp_path: Path) -> None:
    _with_database(tmp_path, _fail_then_write)


async def _fail_then_write(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.write() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            raise RuntimeError("the request failed")
    async with db.write() as conn:
        # The table was rolled back with the rest, and the one writer connection is usable.
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))


def _plans_of(url_path: Path, statements: list[tuple[str, Any]]) -> list[str]:
    found = []
    raw = sqlite3.connect(url_path)
    for statement, parameters in statements:
        rows = raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
        found.append(" / ".join(row[3] for row in rows))
    raw.close()
    return found


def test_a_channels_root_posts_are_read_from_their_own_index(tmp_path: Path) -> None:
    statements: list[tuple[str, Any]] = []
    _with_database(tmp_path, lambda db: _read_channel_pages(db, statements))
    plans = _plans_of(tmp_path / "villagepump.db", statements)
    # Two statements (the page, and the posts beside it), each of two parts.
    assert len(plans) == 2
    for plan in plans:
        assert plan.count("ix_posts_channel_id_root_id_create_at (channel_id=? AND root_id=?") == 2, plan


async def _read_channel_pages(db: Database, statements: list[tuple[str, Any]]) -> None:
    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        statements.append((statement, parameters))

    event.listen(db._reader.sync_engine, "before_cursor_execute", capture)
    async with db.read() as conn:
        # Collapsed reply threads: the newest root posts around a time, and the posts beside a page.
        await post_store.around_time(conn, "c" * 26, 1_000, 30, 30, roots_only=True)
        page = [{"id": "p" * 26, "create_at": 1_000}]
        await post_store.neighbour_ids(conn, "c" * 26, page, roots_only=True)
    event.remove(db._reader.sync_engine, "before_cursor_execute", capture)
