"""Tables and queries: one module per concept. No HTTP, no events, no permission logic here."""

from typing import Any

from sqlalchemy import RowMapping, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

# A fetched row, keyed by column name; renderers and actions read it like a dict.
Row = RowMapping

# The queries every request makes (a channel, a membership, a user, a page of posts) are built
# once, at import, with named parameters: SQLAlchemy keeps a statement's cache key on the
# statement, so a statement used again skips both building and keying, about two thirds of the
# Python cost of a short read (bench/README.md, load test). Such statements are the modules'
# upper-case constants (`_CHANNEL_BY_ID`), with their parameters given by bindparam().


def upsert_insert(conn: AsyncConnection, table: Table) -> Any:
    """An INSERT with on_conflict_do_nothing / on_conflict_do_update, in the dialect of `conn`."""
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)
