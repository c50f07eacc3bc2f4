"""Commands check the schema by reading one row: the stored revision against the head of the
migration files, read as text; Alembic is loaded only when there is something to migrate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from jixiao.db.migrate import alembic_config, head_revision, stored_revision, upgrade
from jixiao.db.session import make_engine
from jixiao.settings import Settings


def test_the_head_read_from_the_files_is_alembics(settings: Settings) -> None:
    script = ScriptDirectory.from_config(alembic_config(settings))
    assert head_revision() == script.get_current_head()


def test_a_migrated_database_is_at_the_head(engine: Engine) -> None:
    assert stored_revision(engine) == head_revision()


def test_a_new_database_has_no_revision(scratch_settings: Settings) -> None:
    engine = make_engine(scratch_settings)
    try:
        assert stored_revision(engine) is None
    finally:
        engine.dispose()


def test_importing_into_a_current_database_loads_no_alembic(
    scratch_settings: Settings, scratch_env: dict[str, str], sample_path: Path
) -> None:
    upgrade(scratch_settings)
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from jixiao.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['import', {str(sample_path)!r}, '--year', '2023'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **scratch_env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = json.loads(out.splitlines()[-1])
    assert [m for m in loaded if m.split(".")[0] == "alembic"] == []
