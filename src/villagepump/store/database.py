"""Connections to SQLite or PostgreSQL: one serialised writer for SQLite, pools otherwise."""

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Index, PrimaryKeyConstraint, UniqueConstraint, event, text
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool

from villagepump.store import sqlite_inline
from villagepump.store.tables import metadata

_MIGRATIONS = Path(__file__).parent / "migrations"
# SQLite names the columns of the key, not the key: "UNIQUE constraint failed: users.username".
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _open_in(engine: AsyncEngine) -> int:
    pool = engine.pool
    return pool.checkedin() + pool.checkedout() if isinstance(pool, QueuePool) else 0


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        common: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
        if self.is_sqlite:
            # SQLite has one writer at a time; one connection behind an asyncio lock avoids
            # "database is locked" retries, and readers run beside it thanks to WAL.
            # The writer runs on the loop's thread (store/sqlite_inline.py says why).
            self._writer = create_async_engine(
                url, pool_size=1, max_overflow=0, async_creator=_inline_creator(url), **common
            )
            self._reader = create_async_engine(
                url, pool_size=8, max_overflow=8, async_creator=_inline_creator(url), **common
            )
            # Reads that may take long (search, statistics, exports) run on aiosqlite's threads,
            # so the loop serves others meanwhile.
            self._offload_reader = create_async_engine(url, pool_size=2, max_overflow=6, **common)
            _configure_sqlite(self._writer, begin="BEGIN IMMEDIATE")
            _configure_sqlite(self._reader, begin=None)
            _configure_sqlite(self._offload_reader, begin=None)
            self._write_lock: asyncio.Lock | None = asyncio.Lock()
        else:
            self._writer = create_async_engine(
                url,
                pool_size=10,
                max_overflow=30,
                # asyncpg prepares each statement once per connection and keeps 100 by default;
                # the routes' statements (an IN list of each length is one of its own) are more,
                # and a statement pushed out costs another round trip to prepare it again.
                connect_args={"prepared_statement_cache_size": 500},
                **common,
            )
            # Reads need no transaction of their own: under READ COMMITTED each statement sees
            # its own snapshot either way, and BEGIN and the ROLLBACK when the connection goes
            # back to the pool were two of a short read's round trips. Same pool as the writer.
            self._reader = self._offload_reader = self._writer.execution_options(isolation_level="AUTOCOMMIT")
            self._write_lock = None

    @asynccontextmanager
    async def write(
        self, after_commit: Callable[[], Awaitable[None]] | None = None
    ) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction that commits when the block ends without an exception.

        `after_commit` runs once the commit is done and, on SQLite, before the next writer
        starts: events published there leave in the order their transactions committed.
        """
        async with self._write_lock or nullcontext():
            async with self._connect(self._writer) as conn, conn.begin():
                yield conn
            if after_commit is not None:
                await after_commit()

    @asynccontextmanager
    async def read(self, *, offload: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection to read with. On SQLite reads run on the loop's thread (indexed reads
        take microseconds, less than a hop to a thread and back); `offload` is for the reads
        that may take long, which run on threads of their own."""
        async with self._connect(self._offload_reader if offload else self._reader) as conn:
            yield conn

    @asynccontextmanager
    async def _connect(self, engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
        """A connection from `engine`'s pool, given back when the block ends.

        SQLAlchemy's own `async with engine.connect()` closes the connection in a task of its
        own (so that a cancellation cannot cut the close short), which costs a turn of the
        event loop. On SQLite's connections that run on the loop's thread the close completes
        before its first await, so nothing can cut it short, and that turn came while the one
        write lock was still held: with the loop busy, each write held the lock for a whole
        turn, a few hundred writes a second queued for seconds (bench/README.md, load test).
        """
        inline = self.is_sqlite and engine is not self._offload_reader
        if not inline:
            async with engine.connect() as conn:
                yield conn
            return
        conn = await engine.connect().start()
        try:
            yield conn
        finally:
            await conn.close()

    def open_connections(self) -> tuple[int, int]:
        """Connections this process holds open: to write (or, on PostgreSQL, to do anything),
        and the SQLite readers beside the writer (0 on PostgreSQL, which has no replicas here)."""
        writer = _open_in(self._writer)
        if not self.is_sqlite:
            return writer, 0
        return writer, _open_in(self._reader) + _open_in(self._offload_reader)

    async def migrate(self) -> None:
        """Bring the schema to the newest migration; safe to call from several processes at once."""
        async with self._writer.begin() as conn:
            if not self.is_sqlite:
                # Two server processes starting together must not both create the tables.
                await conn.execute(text("SELECT pg_advisory_xact_lock(8065)"))
            await conn.run_sync(_upgrade)

    async def close(self) -> None:
        await self._writer.dispose()
        if self.is_sqlite:
            await self._reader.dispose()
            await self._offload_reader.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _inline_creator(url: str) -> Any:
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    return sqlite_inline.creator(args[0], bool(kwargs.get("uri")))


def _configure_sqlite(engine: AsyncEngine, begin: str | None) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        # SQLite's own lower() folds only ASCII, so "андр" would miss "Андрей" in a name search;
        # Python's folds every script, as PostgreSQL's lower() does under a UTF-8 locale.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process; only power loss may drop the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    if begin is not None:

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin)


def _unique_keys_by_columns() -> dict[str, str]:
    """Every unique key's name, by its columns as SQLite lists them ("channels.team_id, channels.name")."""
    keys: dict[str, str] = {}
    for table in metadata.tables.values():
        unique: list[Any] = [
            c for c in table.constraints if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)
        ]
        unique += [index for index in table.indexes if isinstance(index, Index) and index.unique]
        for key in unique:
            columns = ", ".join(f"{table.name}.{column.name}" for column in key.columns)
            keys[columns] = str(key.name)
    return keys


_UNIQUE_KEYS = _unique_keys_by_columns()


def violated_unique_key(error: IntegrityError) -> str | None:
    """The name of the unique key (constraint or unique index) that a write ran into, on either
    database; None for any other integrity error."""
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None)
    if isinstance(name, str) and getattr(cause, "sqlstate", "") == "23505":
        return name
    match = _SQLITE_UNIQUE.search(str(error.orig))
    return _UNIQUE_KEYS.get(match.group(1)) if match else None
