"""reports of posts to the moderators

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("update_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("reporter_id", sa.String(length=26), nullable=False),
        sa.Column("post_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.String(length=26), nullable=False),
        sa.Column("reported_user_id", sa.String(length=26), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("closed_by", sa.String(length=26), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint(
            "reporter_id", "post_id", "closed_at", name=op.f("uq_reports_reporter_id_post_id_closed_at")
        ),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_reported_user_id", ["reported_user_id"], unique=False)
        batch_op.create_index("ix_reports_status_create_at", ["status", "create_at"], unique=False)
        batch_op.create_index("ix_reports_update_at", ["update_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_update_at")
        batch_op.drop_index("ix_reports_status_create_at")
        batch_op.drop_index("ix_reports_reported_user_id")
    op.drop_table("reports")
