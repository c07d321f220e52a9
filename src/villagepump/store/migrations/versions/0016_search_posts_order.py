"""search index rows carry their post's channel and creation time

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from villagepump.search.engines import FTS_UPDATE_TRIGGER, ORDER_INDEXES
from villagepump.store import search as search_store

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        # The old trigger rewrote the FTS5 entry on any update; filling in the two columns
        # below must not touch the FTS index at all.
        op.execute("DROP TRIGGER IF EXISTS search_posts_fts_update")
    # Plain ADD COLUMNs with a default (no batch rebuild of the table: on SQLite that would
    # drop the FTS5 triggers; on PostgreSQL it is a change of the catalogue only).
    op.add_column(
        "search_posts", sa.Column("channel_id", sa.String(length=26), server_default="", nullable=False)
    )
    op.add_column("search_posts", sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False))
    if sqlite:
        op.execute(
            "UPDATE search_posts SET"
            " channel_id = (SELECT channel_id FROM posts WHERE posts.id = search_posts.post_id),"
            " create_at = (SELECT create_at FROM posts WHERE posts.id = search_posts.post_id)"
            " WHERE EXISTS (SELECT 1 FROM posts WHERE posts.id = search_posts.post_id)"
        )
        op.execute(FTS_UPDATE_TRIGGER)
    else:
        op.execute(
            "UPDATE search_posts SET channel_id = posts.channel_id, create_at = posts.create_at"
            " FROM posts WHERE posts.id = search_posts.post_id"
        )
    if not sqlite:
        # PostgreSQL's only: SQLite walks FTS5 rowids, in time order already, and would pay
        # for two more btrees on every post written.
        for name, columns in ORDER_INDEXES.items():
            op.create_index(name, "search_posts", list(columns), unique=False)
    # A database that comes from before the index (revision 0007 or older) has its posts
    # indexed here, tokenised in Python as new posts are.
    search_store.index_missing(bind)
    if not sqlite:
        op.execute("ANALYZE search_posts")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for name in ORDER_INDEXES:
            op.drop_index(name, table_name="search_posts")
    # SQLite (3.35+) drops a column in place; a batch rebuild would lose the FTS5 triggers.
    op.execute("ALTER TABLE search_posts DROP COLUMN create_at")
    op.execute("ALTER TABLE search_posts DROP COLUMN channel_id")
