"""audit ids as big integers

Revision ID: 3101c90fb0d8
Revises: a9360ac2bf2f
Create Date: 2026-11-26 07:03:25.685332+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3101c90fb0d8"
down_revision: str | None = "a9360ac2bf2f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Audit entries keep object and project ids of the full id range (BIGINT on PostgreSQL)."""
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column(
            "object_id", existing_type=sa.Integer(), type_=ID, existing_nullable=True
        )
        batch.alter_column(
            "project_id", existing_type=sa.Integer(), type_=ID, existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column(
            "project_id", existing_type=ID, type_=sa.Integer(), existing_nullable=True
        )
        batch.alter_column(
            "object_id", existing_type=ID, type_=sa.Integer(), existing_nullable=True
        )
