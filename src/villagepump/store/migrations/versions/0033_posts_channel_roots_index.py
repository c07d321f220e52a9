"""index on posts for a channel's root posts in time order (collapsed reply threads)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_posts_channel_id_root_id_create_at"),
        "posts",
        ["channel_id", "root_id", "create_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_posts_channel_id_root_id_create_at"), table_name="posts")
