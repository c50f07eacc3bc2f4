"""``jixiao parse --sheet NAME`` reads one sheet of a workbook; an unknown name is one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from jixiao.cli import cli
from jixiao.export import render, target_sheets
from jixiao.ingest import read_document

SAMPLE = Path(__file__).resolve().parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


def _two_sheet_workbook(path: Path) -> str:
    """The sample's exported 目标表 behind a first sheet of notes; returns the table's name."""
    exported = load_workbook(io.BytesIO(render(target_sheets(read_document(SAMPLE)), "xlsx")))
    table = exported.worksheets[0]
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填表说明"
    notes["A1"] = "本表金额单位为万元。"
    copy = book.create_sheet(table.title)
    for row in table.iter_rows():
        for cell in row:
            copy.cell(cell.row, cell.column, cell.value)
    for merged in table.merged_cells.ranges:
        copy.merge_cells(str(merged))
    book.save(path)
    return table.title


def test_sheet_option_reads_the_named_sheet(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    name = _two_sheet_workbook(path)
    result = CliRunner().invoke(cli, ["parse", str(path), "--sheet", name, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["projects"]) == 37


def test_unknown_sheet_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    _two_sheet_workbook(path)
    result = CliRunner().invoke(cli, ["parse", str(path), "--sheet", "无此表", "--format", "json"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no such sheet" in lines[0]
    assert "填表说明" in lines[0]
