"""link previews

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-05 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "link_previews",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=1000), nullable=False),
        sa.Column("fetched_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("expires_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_link_previews")),
    )
    with op.batch_alter_table("link_previews", schema=None) as batch_op:
        batch_op.create_index("ix_link_previews_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("link_previews", schema=None) as batch_op:
        batch_op.drop_index("ix_link_previews_expires_at")
    op.drop_table("link_previews")
