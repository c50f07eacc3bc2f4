"""project copies: next year's draft made from an approved project

Revision ID: f90ad5217d80
Revises: 811467e921c9
Create Date: 2026-12-03 13:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f90ad5217d80"
down_revision: str | None = "811467e921c9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """A draft copied from last year's approved project names it; one copy per project.

    A table of its own, so that ``projects`` (which other tables' triggers name) is not rebuilt.
    """
    op.create_table(
        "project_copies",
        sa.Column("project_id", ID, nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_project_copies_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_copies_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["projects.id"],
            name=op.f("fk_project_copies_source_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_copies")),
    )
    op.create_index(op.f("ix_project_copies_actor_id"), "project_copies", ["actor_id"])
    op.create_index(
        op.f("ix_project_copies_project_id"), "project_copies", ["project_id"], unique=True
    )
    op.create_index(
        op.f("ix_project_copies_source_id"), "project_copies", ["source_id"], unique=True
    )


def downgrade() -> None:
    op.drop_table("project_copies")
