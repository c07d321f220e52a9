"""one of each default sidebar category per user and team

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOT_CUSTOM = "type != 'custom'"
# Concurrent first reads of a sidebar could make a default category twice; the later copies
# go, with their channels, which the next read of the sidebar puts back in the one kept.
_DUPLICATE = (
    "SELECT c.id FROM sidebar_categories c WHERE c.type != 'custom' AND EXISTS ("
    "SELECT 1 FROM sidebar_categories d WHERE d.user_id = c.user_id AND d.team_id = c.team_id"
    " AND d.type = c.type AND d.id < c.id)"
)


def upgrade() -> None:
    op.execute(f"DELETE FROM sidebar_channels WHERE category_id IN ({_DUPLICATE})")
    op.execute(f"DELETE FROM sidebar_categories WHERE id IN ({_DUPLICATE})")
    with op.batch_alter_table("sidebar_categories", schema=None) as batch_op:
        batch_op.create_index(
            "uq_sidebar_categories_user_id_team_id_type",
            ["user_id", "team_id", "type"],
            unique=True,
            sqlite_where=sa.text(_NOT_CUSTOM),
            postgresql_where=sa.text(_NOT_CUSTOM),
        )


def downgrade() -> None:
    with op.batch_alter_table("sidebar_categories", schema=None) as batch_op:
        batch_op.drop_index("uq_sidebar_categories_user_id_team_id_type")
