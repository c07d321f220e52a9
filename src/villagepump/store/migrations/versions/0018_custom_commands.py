"""custom slash commands and their response URLs

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commands",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("token", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("update_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("delete_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("creator_id", sa.String(length=26), nullable=False),
        sa.Column("team_id", sa.String(length=26), nullable=False),
        sa.Column("trigger", sa.String(length=128), nullable=False),
        sa.Column("method", sa.String(length=1), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("icon_url", sa.String(length=1024), nullable=False),
        sa.Column("auto_complete", sa.Boolean(), nullable=False),
        sa.Column("auto_complete_desc", sa.String(length=1024), nullable=False),
        sa.Column("auto_complete_hint", sa.String(length=1024), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=128), nullable=False),
        sa.Column("url", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commands")),
        sa.UniqueConstraint(
            "team_id", "trigger", "delete_at", name=op.f("uq_commands_team_id_trigger_delete_at")
        ),
    )
    op.create_index(op.f("ix_commands_team_id"), "commands", ["team_id"], unique=False)
    op.create_table(
        "command_webhooks",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("command_id", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.String(length=26), nullable=False),
        sa.Column("root_id", sa.String(length=26), nullable=False),
        sa.Column("use_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_webhooks")),
    )
    op.create_index("ix_command_webhooks_create_at", "command_webhooks", ["create_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_command_webhooks_create_at", table_name="command_webhooks")
    op.drop_table("command_webhooks")
    op.drop_index(op.f("ix_commands_team_id"), table_name="commands")
    op.drop_table("commands")
