"""when a team's invite id was made, for invite links that expire

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_id_at", sa.BigInteger(), server_default="0", nullable=False))
    # An existing link counts from the team's creation, the last time its id is known to be new.
    op.execute("UPDATE teams SET invite_id_at = create_at")


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("invite_id_at")
