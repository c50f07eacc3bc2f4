"""A person's corrections of doubtful cells go into the grid before the layouts read it, and
a scan's look-alike letters in numbers are mended there, each change recorded."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from jixiao.ingest import parse_tables
from jixiao.ingest.corrections import CORRECTED, apply_corrections
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.scan_checks import mend_glyphs

HEADER = ["项目名称", "资金总额", "财政拨款", "其他资金", "绩效目标"]
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "实施周期指标值"]
ROWS = [
    [*HEADER, *INDICATOR_HEADER],
    [
        "办公设备购置",
        "100.00",
        "60.00",
        "30.00",
        "保障日常办公需求。",
        "产出指标",
        "数量指标",
        "购置设备数量",
        "≥10台",
    ],
    [
        "执法办案经费",
        "38.50",
        "38.50",
        "",
        "查处违法行为。",
        "产出指标",
        "数量指标",
        "办结案件数",
        "≥50件",
    ],
    ["合计", "128.50", "98.50", "30.00", "", "", "", "", ""],
]
TOTAL = "第1页 第2行第2列"


@cache
def scanned_page(department: str) -> bytes:
    """``ROWS`` of ``department`` printed on a short page and scanned (a PNG turned 90°, 1°
    skew, grey paper): the input of the import pages' and the API's correction tests."""
    from pdf_render import render_grid
    from scan_render import Damage, as_png, scanned
    from test_scan_reader import C

    cells = [C(r, c, text) for r, row in enumerate(ROWS) for c, text in enumerate(row)]
    lines = [f"{department}2024年项目支出绩效目标表", "单位：万元"]
    pdf = render_grid(cells, 1, lines, page=(842.0, 260.0))
    return as_png(scanned(pdf, Damage(skew=1.0, turns=1, background=235)))


def scanned_table(rows: list[list[str]] = ROWS, kind: str = "image") -> RawTable:
    """A department table as the scan reader gives it: title lines, then ruled cells with
    page, box (points) and score."""
    out = [
        RawRow(
            1, (RawCell("示例局2024年项目支出绩效目标表", 0, 1, colspan=9, ref="第1页", page=1),)
        ),
        RawRow(2, (RawCell("单位：万元", 0, 2, colspan=9, ref="第1页", page=1),)),
    ]
    for r, texts in enumerate(rows, 1):
        cells = tuple(
            RawCell(
                text,
                c,
                r + 2,
                ref=f"第1页 第{r}行第{c + 1}列",
                page=1,
                box=(40.0 + 100 * c, 80.0 + 18 * r, 140.0 + 100 * c, 98.0 + 18 * r),
                score=0.99 if text else None,
            )
            for c, text in enumerate(texts)
        )
        out.append(RawRow(r + 2, cells))
    return RawTable(tuple(out), kind=kind, grid=True, reader=kind)


def _cell(table: RawTable, ref: str) -> RawCell:
    return next(c for row in table.rows for c in row.cells if c.ref == ref)


def test_a_correction_replaces_the_cell_text_and_is_a_repair() -> None:
    [table] = apply_corrections([scanned_table()], {TOTAL: " 90.00 "})
    cell = _cell(table, TOTAL)
    assert cell.text == "90.00"
    assert cell.score is None  # typed by a person: nothing left to doubt
    [repair] = table.repairs
    assert (repair.field, repair.before, repair.after, repair.reason) == (
        TOTAL,
        "100.00",
        "90.00",
        CORRECTED,
    )


def test_an_unchanged_text_is_no_repair() -> None:
    [table] = apply_corrections([scanned_table()], {TOTAL: "100.00"})
    assert table.repairs == ()
    assert _cell(table, TOTAL).score == 0.99


def test_a_ref_naming_no_cell_or_several_changes_nothing_and_says_so() -> None:
    [table] = apply_corrections([scanned_table()], {"第9页 第1行第1列": "1", "第1页": "标题"})
    assert table.repairs == ()
    assert [w.code for w in table.warnings] == ["correction_unmatched"] * 2
    assert "不在表中" in table.warnings[0].message
    assert "不唯一" in table.warnings[1].message


def test_the_corrected_amount_flows_into_the_document() -> None:
    before = parse_tables([scanned_table()], "scan.png").document
    office = before.projects[0]
    assert office.amounts.total == Decimal("100.00")
    mismatch = next(w for w in office.warnings if w.code == "ocr_amounts_mismatch")
    assert set(mismatch.source.cells) == {TOTAL, "第1页 第2行第3列", "第1页 第2行第4列"}
    assert mismatch.source.box_of(TOTAL) is not None
    assert mismatch.source.box_of(TOTAL).text == "100.00"  # type: ignore[union-attr]
    total_row = next(w for w in before.warnings if w.code == "total_mismatch")
    assert total_row.source.cells == ("第1页 第4行第2列",)

    after = parse_tables([scanned_table()], "scan.png", corrections={TOTAL: "90.00"}).document
    office = after.projects[0]
    assert office.amounts.total == Decimal("90.00")
    assert not [w for w in office.warnings if w.code == "ocr_amounts_mismatch"]
    assert not [w for w in after.warnings if w.code == "total_mismatch"]
    assert [(r.field, r.before, r.after) for r in office.repairs] == [(TOTAL, "100.00", "90.00")]


def test_a_correction_of_the_second_project_is_its_repair() -> None:
    ref = "第1页 第3行第5列"
    document = parse_tables(
        [scanned_table()], "scan.png", corrections={ref: "查处违法行为"}
    ).document
    assert document.projects[0].repairs == []
    assert [r.field for r in document.projects[1].repairs] == [ref]


def test_letters_read_for_digits_in_a_scanned_number_are_mended_and_flagged() -> None:
    rows = [list(r) for r in ROWS]
    rows[1][2] = "6O.0O"
    table = mend_glyphs(scanned_table(rows))
    assert _cell(table, "第1页 第2行第3列").text == "60.00"
    [repair] = table.repairs
    assert (repair.field, repair.before, repair.after) == ("第1页 第2行第3列", "6O.0O", "60.00")
    [warning] = table.warnings
    assert warning.code == "ocr_glyph_repaired"
    assert "第1页 第2行第3列" in warning.message
    assert warning.source.box_of("第1页 第2行第3列") is not None


def test_words_and_other_inputs_are_not_mended() -> None:
    rows = [list(r) for r in ROWS]
    rows[1][4] = "IO设备l台"  # not a number: left as read
    assert mend_glyphs(scanned_table(rows)).repairs == ()
    rows[1][2] = "6O.00"
    assert mend_glyphs(scanned_table(rows, kind="xlsx")).repairs == ()
