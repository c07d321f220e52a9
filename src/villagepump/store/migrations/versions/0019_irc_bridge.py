"""the built-in IRC bridge's networks and channel mappings

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "irc_networks",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("tls", sa.Boolean(), nullable=False),
        sa.Column("tls_verify", sa.Boolean(), nullable=False),
        sa.Column("nick", sa.String(length=64), nullable=False),
        sa.Column("sasl_mechanism", sa.String(length=16), nullable=False),
        sa.Column("sasl_username", sa.String(length=128), nullable=False),
        sa.Column("sasl_password", sa.String(length=255), nullable=False),
        sa.Column("client_cert_path", sa.String(length=1024), nullable=False),
        sa.Column("client_key_path", sa.String(length=1024), nullable=False),
        sa.Column("creator_id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("update_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irc_networks")),
        sa.UniqueConstraint("name", name=op.f("uq_irc_networks_name")),
    )
    op.create_table(
        "irc_mappings",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("network_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.String(length=26), nullable=False),
        sa.Column("irc_channel", sa.String(length=200), nullable=False),
        sa.Column("relay_joins", sa.Boolean(), nullable=False),
        sa.Column("creator_id", sa.String(length=26), nullable=False),
        sa.Column("create_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irc_mappings")),
        sa.UniqueConstraint("network_id", "channel_id", name=op.f("uq_irc_mappings_network_id_channel_id")),
        sa.UniqueConstraint("network_id", "irc_channel", name=op.f("uq_irc_mappings_network_id_irc_channel")),
    )
    with op.batch_alter_table("irc_mappings", schema=None) as batch_op:
        batch_op.create_index("ix_irc_mappings_channel_id", ["channel_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("irc_mappings", schema=None) as batch_op:
        batch_op.drop_index("ix_irc_mappings_channel_id")
    op.drop_table("irc_mappings")
    op.drop_table("irc_networks")
