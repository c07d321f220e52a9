"""custom data retention policies for teams and channels

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_policies",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("post_duration", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_policies")),
    )
    for scope in ("team", "channel"):
        table = f"retention_policy_{scope}s"
        op.create_table(
            table,
            sa.Column(f"{scope}_id", sa.String(length=26), nullable=False),
            sa.Column("policy_id", sa.String(length=26), nullable=False),
            sa.PrimaryKeyConstraint(f"{scope}_id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_policy_id"), table, ["policy_id"], unique=False)
    op.create_index("ix_preferences_category_name", "preferences", ["category", "name"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_preferences_category_name", table_name="preferences")
    for table in ("retention_policy_channels", "retention_policy_teams"):
        op.drop_index(op.f(f"ix_{table}_policy_id"), table_name=table)
        op.drop_table(table)
    op.drop_table("retention_policies")
