"""sign-in with OpenID Connect and MediaWiki: users.auth_data, sso_states

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("auth_data", sa.String(length=128), nullable=True))
        batch_op.create_unique_constraint("uq_users_auth_service_auth_data", ["auth_service", "auth_data"])
    op.create_table(
        "sso_states",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("binding", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("redirect_to", sa.String(length=1024), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("invite_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_sso_states")),
    )
    with op.batch_alter_table("sso_states", schema=None) as batch_op:
        batch_op.create_index("ix_sso_states_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sso_states", schema=None) as batch_op:
        batch_op.drop_index("ix_sso_states_expires_at")
    op.drop_table("sso_states")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("uq_users_auth_service_auth_data", type_="unique")
        batch_op.drop_column("auth_data")
