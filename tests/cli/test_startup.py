"""Loading the command line must not load the database and web stack.

The file commands (``parse``, ``review``, ``rules``, ``score``, ``export``) need none of it, and
importing SQLAlchemy, Alembic and FastAPI used to make up most of their start-up time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jixiao.services", "jixiao.db")


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_importing_the_cli_loads_no_database_or_web_code() -> None:
    loaded = _modules_after("import jixiao.cli")
    assert "jixiao.cli.parse" in loaded  # the commands really were registered
    assert sorted(m for m in HEAVY if m in loaded) == []


@pytest.mark.parametrize("args", [["parse", "--help"], ["rules"], ["export", "--help"]])
def test_file_commands_run_without_the_database_stack(args: list[str]) -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from jixiao.cli import cli\n"
        f"result = CliRunner().invoke(cli, {args!r})\n"
        "assert result.exit_code == 0, result.output"
    )
    loaded = _modules_after(code)
    assert sorted(m for m in HEAVY if m in loaded) == []
