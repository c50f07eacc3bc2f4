"""Loading the command line must load only the command that runs.

The file commands (``parse``, ``review``, ``rules``, ``score``, ``export``) need no database or
web code, and ``parse`` of a text table needs no workbook or PDF library: importing them used to
make up most of the start-up time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import COMMANDS, cli

HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jixiao.services", "jixiao.db")
EXPORT = ("reportlab", "openpyxl.writer", "jixiao.export")
SAMPLE = Path(__file__).parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def _loaded(loaded: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if m.startswith(prefixes))


def test_importing_the_cli_loads_no_command_module() -> None:
    loaded = _modules_after("import jixiao.cli")
    assert _loaded(loaded, tuple(set(COMMANDS.values()))) == []
    assert _loaded(loaded, HEAVY) == []


def test_every_listed_command_is_defined_by_its_module() -> None:
    ctx = cli.make_context("jixiao", [], resilient_parsing=True)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None, name
        assert command.name == name


@pytest.mark.parametrize("args", [["parse", "--help"], ["rules"], ["export", "--help"]])
def test_file_commands_run_without_the_database_stack(args: list[str]) -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from jixiao.cli import cli\n"
        f"result = CliRunner().invoke(cli, {args!r})\n"
        "assert result.exit_code == 0, result.output"
    )
    assert _loaded(_modules_after(code), HEAVY) == []


def test_parsing_a_text_table_loads_no_export_or_database_code() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from jixiao.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['parse', {str(SAMPLE)!r}, '--format', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert '\"projects\"' in result.output"
    )
    assert _loaded(_modules_after(code), HEAVY + EXPORT) == []
