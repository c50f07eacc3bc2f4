"""one imported file per department and year

Revision ID: 0aedd5012461
Revises: 3101c90fb0d8
Create Date: 2026-12-03 08:41:59.029452+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0aedd5012461"
down_revision: str | None = "3101c90fb0d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("imported_documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_imported_documents_sha256"), type_="unique")
        batch_op.create_index(batch_op.f("ix_imported_documents_sha256"), ["sha256"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_imported_documents_sha256_org_id_fiscal_year_id"),
            ["sha256", "org_id", "fiscal_year_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("imported_documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_imported_documents_sha256_org_id_fiscal_year_id"), type_="unique"
        )
        batch_op.drop_index(batch_op.f("ix_imported_documents_sha256"))
        batch_op.create_unique_constraint(batch_op.f("uq_imported_documents_sha256"), ["sha256"])
