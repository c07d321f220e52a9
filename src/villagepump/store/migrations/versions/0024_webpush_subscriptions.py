"""browsers' Web Push subscriptions

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 21:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webpush_subscriptions",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("user_id", sa.String(26), nullable=False),
        sa.Column("session_id", sa.String(26), nullable=False),
        sa.Column("endpoint", sa.String(1024), nullable=False),
        sa.Column("p256dh", sa.String(128), nullable=False),
        sa.Column("auth", sa.String(64), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webpush_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_webpush_subscriptions_endpoint")),
    )
    op.create_index("ix_webpush_subscriptions_user_id", "webpush_subscriptions", ["user_id"])
    op.create_index("ix_webpush_subscriptions_session_id", "webpush_subscriptions", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_webpush_subscriptions_session_id", table_name="webpush_subscriptions")
    op.drop_index("ix_webpush_subscriptions_user_id", table_name="webpush_subscriptions")
    op.drop_table("webpush_subscriptions")
