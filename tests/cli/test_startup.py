"""Loading the command line must load only the command that runs.

The file commands (``parse``, ``review``, ``rules``, ``score``, ``export``) need no database or
web code, and ``parse`` of a text table needs no workbook or PDF library: importing them used to
make up most of the start-up time. ``jixiao import`` needs the database, but not the web stack,
the Excel/PDF writers or, on a database that is up to date, Alembic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import COMMANDS, cli

HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jixiao.services", "jixiao.db")
EXPORT = ("reportlab", "openpyxl.writer", "jixiao.export")
SAMPLE = Path(__file__).parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


# What reading a text table must not load: the other kinds' readers and the libraries behind
# them, OCR, the batch machinery, rich (no table or progress is shown), the database, web and
# export stacks, pydantic (the self-evaluation format, the settings).
NOT_FOR_TEXT = (
    "openpyxl",
    "python_calamine",
    "pdfplumber",
    "pypdfium2",
    "docx",
    "lxml",
    "reportlab",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "rich",
    "rapidocr",
    "onnxruntime",
    "cv2",
    "ray",
    "pyarrow",
    "pydantic",
    "jixiao.batch",
    "jixiao.db",
    "jixiao.services",
    "jixiao.web",
    "jixiao.export",
    "jixiao.ingest.readers.workbook",
    "jixiao.ingest.readers.pdf_text",
    "jixiao.ingest.readers.image",
    "jixiao.ingest.readers.scan",
    "jixiao.ingest.readers.html",
    "jixiao.ingest.readers.docx",
)
# What importing a text table must not load: the web stack, the Excel/PDF writers, the readers
# of other kinds, and Alembic once the database is up to date.
NOT_FOR_IMPORT = (
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "reportlab",
    "openpyxl",
    "python_calamine",
    "pdfplumber",
    "lxml",
    "onnxruntime",
    "rich",
    "alembic",
    "jixiao.web",
    "jixiao.export",
    "jixiao.batch",
)


def _command_modules(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules a ``jixiao`` process running ``args`` has loaded when it exits (it must
    succeed)."""
    script = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = ['jixiao', *{args!r}]\n"
        "from jixiao.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.splitlines()[-1]))


def _heavy(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules of ``loaded`` that are one of ``names`` or inside one of them."""
    return sorted(m for m in loaded if m in names or m.startswith(tuple(f"{n}." for n in names)))


def test_parsing_the_sample_as_a_process_loads_none_of_the_heavy_modules() -> None:
    loaded = _command_modules(["parse", str(SAMPLE), "--format", "json"])
    assert "jixiao.ingest.readers.ocr_text" in loaded
    assert _heavy(loaded, NOT_FOR_TEXT) == []


def test_refusing_a_binary_file_loads_none_of_the_readers(tmp_path: Path) -> None:
    binary = tmp_path / "表.txt"
    binary.write_bytes(b"\x7fELF" + bytes(64))
    script = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from jixiao.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['parse', {str(binary)!r}])\n"
        "assert result.exit_code == 2, result.output\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert _heavy(set(json.loads(out.splitlines()[-1])), NOT_FOR_TEXT) == []


def test_importing_the_sample_loads_no_web_export_or_migration_code(
    scratch_env: dict[str, str],
) -> None:
    _command_modules(["db", "upgrade"], scratch_env)
    loaded = _command_modules(["import", str(SAMPLE), "--year", "2023"], scratch_env)
    assert "sqlalchemy.orm" in loaded
    assert _heavy(loaded, NOT_FOR_IMPORT) == []


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
