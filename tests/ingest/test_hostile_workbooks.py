"""Hostile and unreadable workbooks: one line, exit status 2, within seconds, nothing allocated.

Each file is built here byte by byte (``crafted``). The crafted sheets run through the installed
``jixiao`` in a subprocess under a 2 GB address-space limit and a timeout, so a reader that walked
them anyway fails the test instead of taking the machine down.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from crafted import (
    ods_with_content,
    ole2,
    sparse_corners_xlsx,
    xlsx_with_sheet,
    zip_bomb_xlsx,
)
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from test_bad_input import Outcome, assert_refused, run_parse

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import ReadLimits
from jixiao.ingest.readers import read_tables

JIXIAO = Path(sys.executable).with_name("jixiao")
MEMORY = 2 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_bounded(path: Path) -> tuple[Outcome, float]:
    """``jixiao parse PATH`` in a subprocess with 2 GB of address space; (outcome, CPU seconds
    the process spent: unlike wall time, not stretched by whatever else the machine runs)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [str(JIXIAO), "parse", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_memory,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Outcome(proc.returncode, proc.stdout, proc.stderr), cpu


def test_sparse_corner_cells_are_refused_without_walking_the_range(tmp_path: Path) -> None:
    data = sparse_corners_xlsx()
    assert len(data) < 5 * 1024
    path = tmp_path / "corners.xlsx"
    path.write_bytes(data)
    outcome, seconds = run_bounded(path)
    assert_refused(outcome, "table too large")
    assert seconds < 10  # the process start dominates; the refusal itself takes milliseconds


FAR_CELLS = {
    "no-refs": '<row r="1048576"><c><v>1</v></c><c s="0" t="n" r="XFD1048576"><v>2</v></c></row>',
    "tab": '<row r="1048576"><c\tr="XFD1048576"><v>2</v></c></row>',
    "prefixed": (
        '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="1048576">'
        '<x:c r="XFD1048576"><x:v>2</x:v></x:c></x:row>'
    ),
}


@pytest.mark.parametrize("far", list(FAR_CELLS))
def test_sparse_cells_written_unusually_are_refused_too(tmp_path: Path, far: str) -> None:
    """Cells without ``r`` (placed by their row and order), ``r`` after other attributes,
    other whitespace, a namespace prefix."""
    sheet = '<row r="1"><c t="inlineStr" r="A1"><is><t>x</t></is></c></row>' + FAR_CELLS[far]
    path = tmp_path / "no-refs.xlsx"
    path.write_bytes(xlsx_with_sheet(sheet))
    outcome, _ = run_bounded(path)
    assert_refused(outcome, "table too large")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb_xlsx(340)


def test_zip_bomb_is_refused_by_its_declared_size(tmp_path: Path, bomb: bytes) -> None:
    assert len(bomb) < 1_600_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    outcome, seconds = run_bounded(path)
    assert_refused(outcome, "zip bomb")
    assert seconds < 10


def test_zip_bomb_under_the_size_bound_is_refused_by_its_ratio() -> None:
    with pytest.raises(UnreadableDocument, match="压缩比异常"):
        read_tables(zip_bomb_xlsx(20), "ratio.xlsx")


def test_cell_count_is_bounded_while_scanning() -> None:
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 201)
    )
    data = xlsx_with_sheet(rows)
    assert len(read_tables(data, "ok.xlsx")[0].rows) == 200
    with pytest.raises(UnreadableDocument, match="table too large"):
        read_tables(data, "many.xlsx", ReadLimits(max_cells=1000))
    with pytest.raises(UnreadableDocument, match="table too large"):
        read_tables(data, "long.xlsx", ReadLimits(max_rows=100))


def test_ods_with_a_value_repeated_over_the_whole_sheet_is_refused(tmp_path: Path) -> None:
    body = (
        '<table:table table:name="S"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float"'
        ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>'
    )
    path = tmp_path / "repeated.ods"
    path.write_bytes(ods_with_content(body))
    outcome, _ = run_bounded(path)
    assert_refused(outcome, "table too large")


def test_ods_trailing_empty_repeats_are_read() -> None:
    body = (
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>项目名称</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>'
    )
    (table,) = read_tables(ods_with_content(body), "empty-tail.ods")
    assert [(r.line, r.texts) for r in table.rows] == [(1, ("项目名称",))]


def _xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "项目名称"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_password_protected_workbook_is_refused(tmp_path: Path) -> None:
    office = OOXMLFile(io.BytesIO(_xlsx_bytes()))
    encrypted = io.BytesIO()
    office.encrypt("secret", encrypted)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(encrypted.getvalue())
    line = assert_refused(run_parse(path, "--format", "json"), "password-protected")
    assert "密码" in line


def test_renamed_zip_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("报表/说明.txt", "不是工作簿")
    path = tmp_path / "archive.xlsx"
    path.write_bytes(out.getvalue())
    assert_refused(run_parse(path, "--format", "json"), "zip archive")


@pytest.mark.parametrize("name", ["old.doc", "old.wps", "misnamed.xlsx"])
def test_old_binary_word_files_ask_to_save_as_docx(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(ole2({"WordDocument": b"\xec\xa5" + b"\x00" * 600, "1Table": b"\x00"}))
    line = assert_refused(run_parse(path, "--format", "json"), "save as .docx")
    assert "请另存为 .docx" in line


def test_fifty_megabyte_workbook_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.write(_xlsx_bytes())
        fh.write(b"\x00" * (50 * 1024 * 1024))
    outcome, seconds = run_bounded(path)
    assert_refused(outcome, "too large")
    assert seconds < 10


def test_corrupt_workbook_is_one_line(tmp_path: Path) -> None:
    data = _xlsx_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert_refused(run_parse(path, "--format", "json"), "corrupt", "zip archive")
