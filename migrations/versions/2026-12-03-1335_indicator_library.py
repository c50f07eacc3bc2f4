"""indicator library: entries, occurrences, and text search indexes

Revision ID: 811467e921c9
Revises: 7c41d0e9a2f3
Create Date: 2026-12-03 12:56:31.431051+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "811467e921c9"
down_revision: str | None = "7c41d0e9a2f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The library tables; trigram search on entries, project names and goals."""
    op.create_table(
        "library_entries",
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("level2_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("level1_name", sa.String(length=100), nullable=True),
        sa.Column("level2_name", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("op", sa.String(length=32), nullable=True),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("occurrence_count", sa.Integer(), nullable=False),
        sa.Column("typical", sa.Text(), nullable=True),
        sa.Column("met_count", sa.Integer(), nullable=False),
        sa.Column("evaluated_count", sa.Integer(), nullable=False),
        sa.Column("recommended", sa.Boolean(), nullable=False),
        sa.Column(
            "sectors", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("scoring", sa.Text(), nullable=True),
        sa.Column("reference_value", sa.Text(), nullable=True),
        sa.Column("curated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_entries")),
        sa.UniqueConstraint(
            "name_key", "level2_key", name=op.f("uq_library_entries_name_key_level2_key")
        ),
    )
    with op.batch_alter_table("library_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_library_entries_level2_key"), ["level2_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_library_entries_occurrence_count"), ["occurrence_count"], unique=False
        )

    op.create_table(
        "library_occurrences",
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "project_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "indicator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("org_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "department_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("op", sa.String(length=32), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["organisations.id"],
            name=op.f("fk_library_occurrences_department_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["imported_documents.id"],
            name=op.f("fk_library_occurrences_document_id_imported_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["library_entries.id"],
            name=op.f("fk_library_occurrences_entry_id_library_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_library_occurrences_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_library_occurrences_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_library_occurrences_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_occurrences")),
    )
    with op.batch_alter_table("library_occurrences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_library_occurrences_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_library_occurrences_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_library_occurrences_entry_id"), ["entry_id"], unique=False
        )
        batch_op.create_index(
            "ix_library_occurrences_entry_unit", ["entry_id", "unit"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_library_occurrences_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_library_occurrences_name_key"), ["name_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_library_occurrences_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_library_occurrences_project_id"), ["project_id"], unique=False
        )

    _create_search()


def downgrade() -> None:
    _drop_search()
    with op.batch_alter_table("library_occurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_occurrences_project_id"))
        batch_op.drop_index(batch_op.f("ix_library_occurrences_org_id"))
        batch_op.drop_index(batch_op.f("ix_library_occurrences_name_key"))
        batch_op.drop_index(batch_op.f("ix_library_occurrences_indicator_id"))
        batch_op.drop_index("ix_library_occurrences_entry_unit")
        batch_op.drop_index(batch_op.f("ix_library_occurrences_entry_id"))
        batch_op.drop_index(batch_op.f("ix_library_occurrences_document_id"))
        batch_op.drop_index(batch_op.f("ix_library_occurrences_department_id"))

    op.drop_table("library_occurrences")
    with op.batch_alter_table("library_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_entries_occurrence_count"))
        batch_op.drop_index(batch_op.f("ix_library_entries_level2_key"))

    op.drop_table("library_entries")


# PostgreSQL: pg_trgm GIN indexes (LIKE / ILIKE use them) and a prefix index.
_PG_INDEXES = {
    "trgm_library_entries_name_key": "library_entries USING gin (name_key gin_trgm_ops)",
    "trgm_projects_name": "projects USING gin (name gin_trgm_ops)",
    "trgm_goals_text": "goals USING gin (text gin_trgm_ops)",
    # typed prefixes of one or two characters (no trigram): a B-tree range for LIKE 'ab%'
    "pattern_library_entries_name_key": "library_entries (name_key varchar_pattern_ops)",
}

# SQLite: FTS5 tables with the trigram tokenizer, kept by triggers.
_PROJECT_TEXT = (
    "SELECT p.id, p.name || ' ' || coalesce("
    "(SELECT group_concat(g.text, ' ') FROM goals g WHERE g.project_id = p.id), '') "
    "FROM projects p"
)
_SQLITE = [
    "CREATE VIRTUAL TABLE library_entry_search USING fts5(name_key, "
    "content='library_entries', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER library_entry_search_ai AFTER INSERT ON library_entries BEGIN "
    "INSERT INTO library_entry_search(rowid, name_key) VALUES (new.id, new.name_key); END",
    "CREATE TRIGGER library_entry_search_ad AFTER DELETE ON library_entries BEGIN "
    "INSERT INTO library_entry_search(library_entry_search, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); END",
    "CREATE TRIGGER library_entry_search_au AFTER UPDATE OF name_key ON library_entries BEGIN "
    "INSERT INTO library_entry_search(library_entry_search, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO library_entry_search(rowid, name_key) VALUES (new.id, new.name_key); END",
    "CREATE VIRTUAL TABLE project_search USING fts5(text, tokenize='trigram')",
    f"INSERT INTO project_search(rowid, text) {_PROJECT_TEXT}",
    "CREATE TRIGGER project_search_ai AFTER INSERT ON projects BEGIN "
    f"INSERT INTO project_search(rowid, text) {_PROJECT_TEXT} WHERE p.id = new.id; END",
    "CREATE TRIGGER project_search_au AFTER UPDATE OF name ON projects BEGIN "
    "DELETE FROM project_search WHERE rowid = old.id; "
    f"INSERT INTO project_search(rowid, text) {_PROJECT_TEXT} WHERE p.id = new.id; END",
    "CREATE TRIGGER project_search_ad AFTER DELETE ON projects BEGIN "
    "DELETE FROM project_search WHERE rowid = old.id; END",
    *(
        f"CREATE TRIGGER project_search_goal_{when[0]} AFTER {when} ON goals BEGIN "
        f"DELETE FROM project_search WHERE rowid = {row}.project_id; "
        f"INSERT INTO project_search(rowid, text) {_PROJECT_TEXT} "
        f"WHERE p.id = {row}.project_id; END"
        for when, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old"))
    ),
]
_SQLITE_DROP = [
    "DROP TABLE IF EXISTS library_entry_search",
    "DROP TABLE IF EXISTS project_search",
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "library_entry_search_ai",
            "library_entry_search_ad",
            "library_entry_search_au",
            "project_search_ai",
            "project_search_au",
            "project_search_ad",
            "project_search_goal_I",
            "project_search_goal_U",
            "project_search_goal_D",
        )
    ),
]


def _create_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, target in _PG_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {target}")
    elif dialect == "sqlite" and _sqlite_has_trigram():
        for statement in _SQLITE:
            op.execute(statement)


def _sqlite_has_trigram() -> bool:
    """FTS5's trigram tokenizer came with SQLite 3.34; without it search scans (and says so)."""
    try:
        op.execute("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
    except sa.exc.OperationalError:
        print("SQLite 无 FTS5 trigram 分词器（需 3.34 及以上）：检索改用逐行匹配")  # noqa: T201
        return False
    op.execute("DROP TABLE temp.trigram_probe")
    return True


def _drop_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    elif dialect == "sqlite":
        for statement in _SQLITE_DROP:
            op.execute(statement)
