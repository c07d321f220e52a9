"""personal data exports

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 23:58:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_exports",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("user_id", sa.String(26), nullable=False),
        sa.Column("requested_by", sa.String(26), nullable=False),
        sa.Column("running_user_id", sa.String(26), nullable=True),
        sa.Column("job_id", sa.String(26), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("finish_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("expire_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("file_key", sa.String(512), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.String(1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
        sa.UniqueConstraint("running_user_id", name=op.f("uq_data_exports_running_user_id")),
    )
    op.create_index("ix_data_exports_user_id", "data_exports", ["user_id"])
    op.create_index("ix_data_exports_status_expire_at", "data_exports", ["status", "expire_at"])


def downgrade() -> None:
    op.drop_index("ix_data_exports_status_expire_at", table_name="data_exports")
    op.drop_index("ix_data_exports_user_id", table_name="data_exports")
    op.drop_table("data_exports")
