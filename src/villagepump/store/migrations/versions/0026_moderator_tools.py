"""moderators' tools: muted users and channel moderation (read-only channels)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_mutes",
        sa.Column("user_id", sa.String(26), nullable=False),
        sa.Column("until", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("muted_by", sa.String(26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_mutes")),
    )
    op.create_table(
        "channel_moderations",
        sa.Column("channel_id", sa.String(26), nullable=False),
        sa.Column("members_post", sa.Boolean(), nullable=False),
        sa.Column("members_reply", sa.Boolean(), nullable=False),
        sa.Column("members_react", sa.Boolean(), nullable=False),
        sa.Column("guests_post", sa.Boolean(), nullable=False),
        sa.Column("guests_reply", sa.Boolean(), nullable=False),
        sa.Column("guests_react", sa.Boolean(), nullable=False),
        sa.Column("update_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_moderations")),
    )


def downgrade() -> None:
    op.drop_table("channel_moderations")
    op.drop_table("user_mutes")
