"""Doubtful OCR becomes warnings naming the cell: low recognition scores, amounts that do not
add up."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.document import Document
from jixiao.domain.project import Amounts, Project
from jixiao.domain.provenance import SourceRef
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.scan_checks import amounts_mismatch, check_scans, low_confidence


def _table(kind: str, score: float | None) -> RawTable:
    cells = (
        RawCell("办公设备购置", 0, 1, ref="第1页 第1行第1列", page=1, score=0.99),
        RawCell("1,7l4.44", 1, 1, ref="第1页 第1行第2列", page=1, box=(1, 2, 3, 4), score=score),
        RawCell("", 2, 1, ref="第1页 第1行第3列", page=1, score=0.1),
    )
    return RawTable((RawRow(1, cells),), kind=kind, grid=True)


def test_a_cell_read_with_a_low_score_is_a_warning_naming_it() -> None:
    [warning] = low_confidence([_table("image", 0.42)])
    assert warning.code == "ocr_low_confidence"
    assert "第1页 第1行第2列" in warning.message
    assert "0.42" in warning.message
    assert "1,7l4.44" in warning.message
    assert warning.source.cells == ("第1页 第1行第2列",)
    assert warning.source.pages == (1,)


def test_confident_and_empty_cells_are_quiet() -> None:
    assert low_confidence([_table("image", 0.95)]) == []


def _document(total: str, fiscal: str) -> Document:
    project = Project(
        "办公设备购置",
        Amounts(total=Decimal(total), fiscal=Decimal(fiscal)),
        source=SourceRef(pages=(1,), cells=("第1页 第3行第2列",)),
    )
    return Document(projects=[project])


def test_amounts_that_do_not_add_up_are_flagged_on_the_project() -> None:
    document = _document("1714.44", "1214.44")
    amounts_mismatch(document)
    [warning] = document.projects[0].warnings
    assert warning.code == "ocr_amounts_mismatch"
    assert "1714.44" in warning.message
    assert "第1页 第3行第2列" in warning.message


def test_amounts_that_add_up_are_quiet() -> None:
    document = _document("1714.44", "1714.44")
    amounts_mismatch(document)
    assert document.projects[0].warnings == []


def test_only_scans_are_checked() -> None:
    document = _document("1714.44", "1.00")
    check_scans([_table("xlsx", 0.1)], [document])
    assert document.warnings == []
    assert document.projects[0].warnings == []
    check_scans([_table("pdf_scan", 0.1)], [document])
    assert [w.code for w in document.warnings] == ["ocr_low_confidence"]
    assert [w.code for w in document.projects[0].warnings] == ["ocr_amounts_mismatch"]
