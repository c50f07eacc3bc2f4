"""Folders of inputs for batch tests: copies of the sample, each of another department.

Importing it also puts the document generators of tests/ingest on the path (a conftest.py
here would shadow the suite's root conftest module for tests that import it by name).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "ingest"))
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


def department_table(number: int) -> bytes:
    """The sample as the table of department ``number`` (its own content and hash)."""
    text = SAMPLE.read_text(encoding="utf-8")
    return text.replace("(本级)", f"第{number}所(本级)", 1).encode("utf-8")


def write_inputs(folder: Path, count: int, start: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = folder / f"dept-{number:04d}.txt"
        path.write_bytes(department_table(number))
        paths.append(path)
    return paths


def done_rows(out: Path) -> list[tuple[str, str, list[str], int]]:
    """(sha256, source_file, outputs, run) of every file the manifest lists as done."""
    with sqlite3.connect(f"file:{out / 'manifest.sqlite'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT sha256, source_file, outputs, run FROM done").fetchall()
    return [(sha, source, json.loads(outputs), run) for sha, source, outputs, run in rows]


def outputs(out: Path) -> dict[str, Any]:
    """Every JSON output of a folder, parsed."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}
