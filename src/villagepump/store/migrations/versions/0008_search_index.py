"""search index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from villagepump.search.engines import engine_for

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "search_posts",
        sa.Column(
            "doc_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("post_id", sa.String(length=26), nullable=False),
        sa.Column("terms", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_search_posts")),
        sa.UniqueConstraint("post_id", name=op.f("uq_search_posts_post_id")),
    )
    engine_for(bind.dialect.name).create_structures(bind)
    # Posts written before the index existed are indexed by migration 0016, once search_posts
    # has all the columns that store/search.py writes.


def downgrade() -> None:
    bind = op.get_bind()
    engine_for(bind.dialect.name).drop_structures(bind)
    op.drop_table("search_posts")
