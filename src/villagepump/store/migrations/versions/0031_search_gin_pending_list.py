"""PostgreSQL: a small pending list for the search GIN index

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 10:30:00
"""

from collections.abc import Sequence

from alembic import op

from villagepump.search.engines import GIN_INDEX, GIN_PENDING_LIST_KB

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every GIN scan reads the whole pending list (decision 0044): a limit of its own keeps that
    # short between autovacuums. A change of the index's options only, no rewrite.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX {GIN_INDEX} SET (gin_pending_list_limit = {GIN_PENDING_LIST_KB})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX {GIN_INDEX} RESET (gin_pending_list_limit)")
