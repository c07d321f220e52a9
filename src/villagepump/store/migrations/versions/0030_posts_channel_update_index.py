"""indexes on posts for a channel's changes since a time and its pinned posts

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 07:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_posts_channel_id_update_at"), "posts", ["channel_id", "update_at"], unique=False)
    op.create_index(
        op.f("ix_posts_channel_id_pinned"),
        "posts",
        ["channel_id"],
        unique=False,
        sqlite_where=sa.text("is_pinned = 1"),
        postgresql_where=sa.text("is_pinned"),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_posts_channel_id_pinned"), table_name="posts")
    op.drop_index(op.f("ix_posts_channel_id_update_at"), table_name="posts")
