"""Rebuilding the search index from the posts: `villagepump search reindex`.

A batch per write transaction, so a running server keeps posting between batches (the posts it
writes meanwhile index themselves). SQLite first rebuilds its FTS5 table from search_posts, which
its triggers then keep in step; rows that already agree with their post are not written. Then
the rows of posts that are gone are dropped and the engine tidies its own structures.
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO

from villagepump.store import search as search_store
from villagepump.store.database import Database


class ProgressBar:
    """A one-line bar on a terminal; on anything else, a line at every tenth."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.stream, self.width = max(total, 1), stream, width
        self.started = time.monotonic()
        self._last_tenth = -1

    def __call__(self, done: int) -> None:
        done = min(done, self.total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        filled = self.width * done // self.total
        line = f"[{'#' * filled}{' ' * (self.width - filled)}] {done:,}/{self.total:,} posts, {rate:,.0f}/s"
        if self.stream.isatty():
            self.stream.write("\r" + line)
        elif (tenth := 10 * done // self.total) != self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream.isatty():
            self.stream.write("\n")
        self.stream.flush()


async def reindex(db: Database, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """(posts indexed, stale rows dropped)."""
    done, position = 0, (-1, "")
    async with db.write() as conn:
        await conn.run_sync(search_store.start_reindex)
    while True:
        async with db.write() as conn:
            ended = await conn.run_sync(search_store.reindex_batch, position)
        if ended is None:
            break
        position = ended
        done += search_store.REINDEX_BATCH
        if progress is not None:
            progress(done)
    async with db.write() as conn:
        dropped = await conn.run_sync(search_store.drop_unsearchable)
        await conn.run_sync(search_store.finish_reindex)
    async with db.read() as conn:
        indexed = await conn.run_sync(search_store.count_searchable)
    if progress is not None:
        progress(indexed)
    return indexed, dropped


async def count_posts(db: Database) -> int:
    async with db.read() as conn:
        return await conn.run_sync(search_store.count_searchable)
