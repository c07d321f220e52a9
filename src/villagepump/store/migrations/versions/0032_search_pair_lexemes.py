"""PostgreSQL: search index rows hold a lexeme per pair of adjacent tokens

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 10:40:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from villagepump.search.engines import PAIRS_PENDING
from villagepump.store import search as search_store
from villagepump.store.tables import search_posts, systems

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    rows = bind.scalar(sa.select(sa.func.count()).select_from(search_posts)) or 0
    if not rows:
        return
    if rows > search_store.REWRITE_IN_MIGRATION:
        bind.execute(sa.insert(systems).values(name=PAIRS_PENDING, value="migration 0032"))
        logging.getLogger(__name__).warning(
            "The search index (%s posts) needs `villagepump search reindex` for fast phrase"
            " searches; until then phrases are found as before.",
            f"{rows:,}",
        )
        return
    position: tuple[int, str] | None = (-1, "")
    while position is not None:
        position = search_store.reindex_batch(bind, position)


def downgrade() -> None:
    # The pair lexemes stay: no query of the older code asks for them, and none matches one.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.delete(systems).where(systems.c.name == PAIRS_PENDING))
