"""SQLite connections run on the event loop's own thread (the writer, and readers for short reads).

aiosqlite runs each statement on a thread of its connection and hands the result back through
the event loop. A write transaction is several statements (BEGIN IMMEDIATE, the writes,
COMMIT), and it holds the one writer lock (store/database.py) across all of them, so each hop
back waits its turn among every ready task: with the loop busy (a login ramp: hundreds of
requests a second), a transaction of four statements held the lock for tens of milliseconds
and writes queued for seconds behind it (bench/README.md, load test).

A write in WAL mode with synchronous=NORMAL does no fsync at commit; its statements take
microseconds. Run on the loop's thread they never wait for the loop, and the lock is held
only as long as the work. The cost: the loop waits while a statement runs, which for the
short writes of requests is less than the hop itself; long bulk writes pace themselves
(retention, import).

These classes give SQLAlchemy's aiosqlite dialect the awaitable connection and cursor it
expects (aiosqlite's interface), completing every call before its first await.
"""

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> "InlineCursor":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> "InlineCursor":
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> "InlineCursor":
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class _RunNow:
    """Stands for aiosqlite's queue of work for its thread: SQLAlchemy's isolation-level setter
    puts (future, function) there."""

    def put_nowait(self, item: tuple["asyncio.Future[Any]", Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:
            future.set_exception(error)


class InlineConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self._tx = _RunNow()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def creator(path: str, uri: bool) -> Callable[[], Any]:
    """An async_creator for create_async_engine: a connection to the database at `path`."""

    async def connect() -> InlineConnection:
        # check_same_thread=False: SQLAlchemy may close a connection from the garbage
        # collector's thread; every statement runs on the loop's thread.
        return InlineConnection(sqlite3.connect(path, uri=uri, check_same_thread=False))

    return connect
