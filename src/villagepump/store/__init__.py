"""Tables and queries: one module per concept. No HTTP, no events, no permission logic here."""

from typing import Any

from sqlalchemy import RowMapping, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

# A fetched row, keyed by column name; renderers and actions read it like a dict.
Row = RowMapping


def upsert_insert(conn: AsyncConnection, table: Table) -> Any:
    """An INSERT with on_conflict_do_nothing / on_conflict_do_update, in the dialect of `conn`."""
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)
