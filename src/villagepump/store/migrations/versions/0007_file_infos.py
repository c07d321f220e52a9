"""file infos

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 12:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_infos",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("creator_id", sa.String(length=26), nullable=False),
        sa.Column("post_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("update_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("delete_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("thumbnail_path", sa.String(length=512), nullable=False),
        sa.Column("preview_path", sa.String(length=512), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("extension", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime_type", sa.String(length=256), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("has_preview_image", sa.Boolean(), nullable=False),
        sa.Column("mini_preview", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_infos")),
    )
    with op.batch_alter_table("file_infos", schema=None) as batch_op:
        batch_op.create_index("ix_file_infos_post_id", ["post_id"], unique=False)
        batch_op.create_index("ix_file_infos_creator_id_create_at", ["creator_id", "create_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("file_infos", schema=None) as batch_op:
        batch_op.drop_index("ix_file_infos_creator_id_create_at")
        batch_op.drop_index("ix_file_infos_post_id")
    op.drop_table("file_infos")
