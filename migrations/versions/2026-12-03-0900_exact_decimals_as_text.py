"""exact decimals as text

Revision ID: 5e0c7d2a41b9
Revises: 0aedd5012461
Create Date: 2026-12-03 09:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e0c7d2a41b9"
down_revision: str | None = "0aedd5012461"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("target_values", "value", True),
    ("projects", "grade_score", True),
    ("self_evaluations", "total", False),
]


def upgrade() -> None:
    """Exact decimals are kept as unbounded text: a long target value such as ``≥999…9%``
    fits on PostgreSQL as it always did on SQLite."""
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, existing_type=sa.String(64), type_=sa.Text(), existing_nullable=nullable
            )


def downgrade() -> None:
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, existing_type=sa.Text(), type_=sa.String(64), existing_nullable=nullable
            )
