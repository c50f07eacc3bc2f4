"""dashboard rollup versions, kept by triggers

Revision ID: 7c41d0e9a2f3
Revises: 5e7a0c2d9b41
Create Date: 2026-12-03 13:30:00+00:00

``rollup_versions`` holds a random number per organisation and budget year that triggers replace
on every write the dashboard shows (see ``jixiao.db.models.dashboard``). PostgreSQL uses
statement-level triggers with transition tables, so a bulk insert or ``COPY`` of thousands of
rows marks each organisation and year once; SQLite has row triggers only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c41d0e9a2f3"
down_revision: str | None = "5e7a0c2d9b41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CHILDREN = ("funding_lines", "findings")
SHOWN = ("org_id", "fiscal_year_id", "status", "grade")


def _pg_mark(marks: str) -> str:
    """Give each distinct (org_id, fiscal_year_id) of ``marks`` a new random version."""
    return (
        "INSERT INTO rollup_versions (org_id, fiscal_year_id, version) "
        f"SELECT m.org_id, m.fiscal_year_id, floor(random() * 9.2e18)::bigint FROM ({marks}) AS m "
        "ON CONFLICT (org_id, fiscal_year_id) DO UPDATE SET version = EXCLUDED.version;"
    )


def _pg_function(name: str, inserted: str, deleted: str, updated: list[str]) -> str:
    """A statement trigger function; each branch reads only the transition tables it has."""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_pg_mark(inserted)}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_mark(deleted)}
  ELSE
    {" ".join(_pg_mark(marks) for marks in updated)}
  END IF;
  RETURN NULL;
END $$
"""


def _pg_projects() -> str:
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in SHOWN)
    moved = "FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE " + changed
    return _pg_function(
        "jixiao_projects_rollup",
        "SELECT DISTINCT org_id, fiscal_year_id FROM new_rows",
        "SELECT DISTINCT org_id, fiscal_year_id FROM old_rows",
        [
            f"SELECT DISTINCT o.org_id, o.fiscal_year_id {moved}",
            f"SELECT DISTINCT n.org_id, n.fiscal_year_id {moved}",
        ],
    )


def _pg_children() -> str:
    def of(rows: str) -> str:
        return (
            f"SELECT DISTINCT p.org_id, p.fiscal_year_id FROM {rows} AS c "
            "JOIN projects AS p ON p.id = c.project_id"
        )

    return _pg_function(
        "jixiao_children_rollup", of("new_rows"), of("old_rows"), [of("old_rows"), of("new_rows")]
    )


def _pg_triggers(table: str, function: str) -> list[str]:
    events = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
    }
    return [
        f"CREATE TRIGGER {table}_rollup_{event} AFTER {event.upper()} ON {table} {ref} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for event, ref in events.items()
    ]


def _sqlite_mark(org: str, year: str) -> str:
    return (
        f"INSERT INTO rollup_versions (org_id, fiscal_year_id, version) {org} {year} "
        "ON CONFLICT (org_id, fiscal_year_id) DO UPDATE SET version = excluded.version;"
    )


def _sqlite_trigger(table: str, event: str, body: str, when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    return (
        f"CREATE TRIGGER {table}_rollup_{event} AFTER {event.upper()} ON {table}{condition} "
        f"BEGIN {body} END"
    )


def _sqlite_triggers() -> list[str]:
    def project(row: str) -> str:
        return _sqlite_mark(f"VALUES ({row}.org_id,", f"{row}.fiscal_year_id, random())")

    def child(row: str) -> str:
        return _sqlite_mark(
            "SELECT org_id, fiscal_year_id, random() FROM projects",
            f"WHERE id = {row}.project_id",
        )

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SHOWN)
    statements = [
        _sqlite_trigger("projects", "insert", project("NEW")),
        _sqlite_trigger("projects", "delete", project("OLD")),
        _sqlite_trigger("projects", "update", project("OLD") + project("NEW"), changed),
    ]
    for table in CHILDREN:
        statements += [
            _sqlite_trigger(table, "insert", child("NEW")),
            _sqlite_trigger(table, "delete", child("OLD")),
            _sqlite_trigger(table, "update", child("OLD") + child("NEW")),
        ]
    return statements


def upgrade() -> None:
    """The marks table, one mark per existing (organisation, year), and the triggers."""
    op.create_table(
        "rollup_versions",
        sa.Column("org_id", ID, nullable=False),
        sa.Column("fiscal_year_id", ID, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "fiscal_year_id", name=op.f("pk_rollup_versions")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "INSERT INTO rollup_versions (org_id, fiscal_year_id, version) "
            "SELECT org_id, fiscal_year_id, floor(random() * 9.2e18)::bigint "
            "FROM (SELECT DISTINCT org_id, fiscal_year_id FROM projects) AS m"
        )
        op.execute(_pg_projects())
        op.execute(_pg_children())
        statements = _pg_triggers("projects", "jixiao_projects_rollup")
        for table in CHILDREN:
            statements += _pg_triggers(table, "jixiao_children_rollup")
    else:
        op.execute(
            "INSERT INTO rollup_versions (org_id, fiscal_year_id, version) "
            "SELECT org_id, fiscal_year_id, random() "
            "FROM (SELECT DISTINCT org_id, fiscal_year_id FROM projects)"
        )
        statements = _sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in ("projects", *CHILDREN):
        for event in ("insert", "update", "delete"):
            on = f" ON {table}" if postgres else ""
            op.execute(f"DROP TRIGGER IF EXISTS {table}_rollup_{event}{on}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS jixiao_projects_rollup()")
        op.execute("DROP FUNCTION IF EXISTS jixiao_children_rollup()")
    op.drop_table("rollup_versions")
