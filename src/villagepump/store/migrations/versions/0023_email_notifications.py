"""notifications waiting for a batched mail

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_notifications",
        sa.Column("user_id", sa.String(26), nullable=False),
        sa.Column("post_id", sa.String(26), nullable=False),
        sa.Column("channel_id", sa.String(26), nullable=False),
        sa.Column("queued_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("user_id", "post_id", name=op.f("pk_email_notifications")),
    )


def downgrade() -> None:
    op.drop_table("email_notifications")
