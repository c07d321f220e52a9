"""terms of service, their acceptance, and the audit log

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "terms_of_service",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms_of_service")),
    )
    with op.batch_alter_table("terms_of_service", schema=None) as batch_op:
        batch_op.create_index("ix_terms_of_service_create_at", ["create_at"], unique=False)
    op.create_table(
        "user_terms_of_service",
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("terms_of_service_id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_terms_of_service")),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=26), nullable=False),
        sa.Column("extra_info", sa.JSON(), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=26), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index("ix_audits_action_create_at", ["action", "create_at"], unique=False)
        batch_op.create_index("ix_audits_create_at", ["create_at"], unique=False)
        batch_op.create_index("ix_audits_user_id", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index("ix_audits_user_id")
        batch_op.drop_index("ix_audits_create_at")
        batch_op.drop_index("ix_audits_action_create_at")
    op.drop_table("audits")
    op.drop_table("user_terms_of_service")
    with op.batch_alter_table("terms_of_service", schema=None) as batch_op:
        batch_op.drop_index("ix_terms_of_service_create_at")
    op.drop_table("terms_of_service")
