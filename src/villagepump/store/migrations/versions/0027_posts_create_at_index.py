"""an index on posts.create_at for the statistics' per-day series

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 23:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_posts_create_at"), "posts", ["create_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_posts_create_at"), table_name="posts")
