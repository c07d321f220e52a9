"""bots, incoming and outgoing webhooks

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ms(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)


def upgrade() -> None:
    op.create_table(
        "bots",
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("description", sa.String(length=1024), nullable=False),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        _ms("create_at"),
        _ms("update_at"),
        _ms("delete_at"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_bots")),
    )
    op.create_index(op.f("ix_bots_owner_id"), "bots", ["owner_id"], unique=False)
    op.create_table(
        "incoming_webhooks",
        sa.Column("id", sa.String(length=26), nullable=False),
        _ms("create_at"),
        _ms("update_at"),
        _ms("delete_at"),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.String(length=26), nullable=False),
        sa.Column("team_id", sa.String(length=26), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("icon_url", sa.String(length=1024), nullable=False),
        sa.Column("channel_locked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incoming_webhooks")),
    )
    op.create_index(op.f("ix_incoming_webhooks_team_id"), "incoming_webhooks", ["team_id"], unique=False)
    op.create_table(
        "outgoing_webhooks",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("token", sa.String(length=26), nullable=False),
        _ms("create_at"),
        _ms("update_at"),
        _ms("delete_at"),
        sa.Column("creator_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.String(length=26), nullable=False),
        sa.Column("team_id", sa.String(length=26), nullable=False),
        sa.Column("trigger_words", sa.JSON(), nullable=False),
        sa.Column("trigger_when", sa.Integer(), nullable=False),
        sa.Column("callback_urls", sa.JSON(), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("icon_url", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_webhooks")),
    )
    op.create_index(
        "ix_outgoing_webhooks_team_id_delete_at", "outgoing_webhooks", ["team_id", "delete_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("outgoing_webhooks")
    op.drop_table("incoming_webhooks")
    op.drop_table("bots")
