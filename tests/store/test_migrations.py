"""The migrations build exactly the schema tables.py describes, on both databases."""

import asyncio
import tempfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.server import (
    REQUIRE_SERVICES,
    create_postgres_database,
    drop_postgres_database,
    postgres_available,
)
from villagepump.search.engines import ENGINE_OWNED
from villagepump.store.database import Database
from villagepump.store.tables import metadata


def _not_engine_owned(name: str | None, _type: str, _parents: object) -> bool:
    # The search engines' own structures (an FTS5 table and its shadow tables on SQLite, a GIN
    # index on PostgreSQL) are not in tables.py; search/engines.py names them.
    return name not in ENGINE_OWNED


def _differences(connection: Connection) -> list[object]:
    opts = {"compare_type": True, "include_name": _not_engine_owned}
    context = MigrationContext.configure(connection, opts=opts)
    return list(compare_metadata(context, metadata))


async def _migrate_and_compare(url: str) -> list[object]:
    database = Database(url)
    await database.migrate()
    await database.migrate()  # a second start finds nothing to do
    await database.close()
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    await engine.dispose()
    return differences


def test_sqlite_schema_matches_tables() -> None:
    path = Path(tempfile.mkdtemp()) / "schema.db"
    assert asyncio.run(_migrate_and_compare(f"sqlite+aiosqlite:///{path}")) == []


def test_postgresql_schema_matches_tables() -> None:
    if not postgres_available():
        if REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required in CI but is not reachable")
        pytest.skip("PostgreSQL is not reachable")
    url = create_postgres_database()
    try:
        async_url = "postgresql+asyncpg://" + url.split("://", 1)[1]
        assert asyncio.run(_migrate_and_compare(async_url)) == []
    finally:
        drop_postgres_database(url)
