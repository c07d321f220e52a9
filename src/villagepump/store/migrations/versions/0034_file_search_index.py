"""file search index: the tokens of each file's name and text layer

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 17:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from villagepump.search.engines import engine_for
from villagepump.store.search import index_files_sync

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "search_files",
        sa.Column(
            "doc_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("file_id", sa.String(length=26), nullable=False),
        sa.Column("terms", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_search_files")),
        sa.UniqueConstraint("file_id", name=op.f("uq_search_files_file_id")),
    )
    engine_for(bind.dialect.name).create_file_structures(bind)
    # Files uploaded before are found by their names, as they were: their text layers would
    # have to be read back from the file store, which a migration does not reach.
    file_infos = sa.table("file_infos", sa.column("id"), sa.column("name"))
    after = ""
    while True:
        rows = list(
            bind.execute(
                sa.select(file_infos.c.id, file_infos.c.name)
                .where(file_infos.c.id > after)
                .order_by(file_infos.c.id)
                .limit(_BATCH)
            ).mappings()
        )
        if not rows:
            break
        index_files_sync(bind, rows, [""] * len(rows))
        after = rows[-1]["id"]


def downgrade() -> None:
    bind = op.get_bind()
    engine_for(bind.dialect.name).drop_file_structures(bind)
    op.drop_table("search_files")
