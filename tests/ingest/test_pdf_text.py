"""The text-layer PDF reader: grids rendered by reportlab read back to what was drawn."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

import pytest
from grid_generator import GridSpec, as_raw_table, grid_shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_render import render_grid
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from jixiao.errors import UnreadableDocument
from jixiao.export.pdf import register_font
from jixiao.ingest.limits import ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import kind_of, read_tables
from jixiao.ingest.readers.pdf_text import read_pdf
from jixiao.ingest.readers.scan import engine


@dataclass(frozen=True)
class C:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def _read_one(pdf: bytes) -> RawTable:
    tables = read_pdf(pdf, "t.pdf")
    assert len(tables) == 1, [t.name for t in tables]
    return tables[0]


def _cells(rows: int, long_row: int) -> list[C]:
    header = [
        C(0, 0, "项目名称", rowspan=2),
        C(0, 1, "资金来源", colspan=2),
        C(0, 3, "绩效目标", rowspan=2),
    ]
    header += [C(1, 1, "财政拨款"), C(1, 2, "其他资金")]
    body = []
    for i in range(rows):
        goal = "保障日常办公需求，按时足额核发工资福利。" * (30 if i == long_row else 1)
        r = 2 + i
        body += [C(r, 0, f"项目{i}"), C(r, 1, f"{i}.50"), C(r, 2, "3.00"), C(r, 3, goal)]
    return header + body


# --- round trips -------------------------------------------------------------------------


def test_a_row_cut_by_a_page_break_is_one_row_and_the_repeated_header_is_dropped() -> None:
    cells = _cells(12, long_row=8)
    pdf = render_grid(cells, 2, ["测试标题", "单位：万元"], page=(500.0, 400.0), margin=30.0)
    table = _read_one(pdf)
    assert table.name == "第1–2页"
    goal = "保障日常办公需求，按时足额核发工资福利。" * 30
    texts = [tuple(c.text for c in row.cells if c.text) for row in table.rows]
    assert texts[0] == ("测试标题",)
    assert texts[1] == ("单位：万元",)
    assert texts[2] == ("项目名称", "资金来源", "绩效目标")
    assert ("项目8", "8.50", "3.00", goal) in texts
    assert sum(1 for t in texts if t and t[0] == "项目名称") == 1
    assert [t[0] for t in texts[4:]] == [f"项目{i}" for i in range(12)]


def test_a_cut_row_without_repeated_header_continues_on_the_next_page() -> None:
    cells = [c for c in _cells(12, long_row=9) if c.row >= 1]
    cells = [replace(c, row=c.row - 1) for c in cells] + [C(0, 0, "项目名称"), C(0, 3, "绩效目标")]
    pdf = render_grid(cells, 0, ["标题"], page=(500.0, 400.0), margin=30.0)
    rows = [tuple(c.text for c in r.cells if c.text) for r in _read_one(pdf).rows]
    goal = "保障日常办公需求，按时足额核发工资福利。" * 30
    assert ("项目9", "9.50", "3.00", goal) in rows
    assert [r[0] for r in rows if r[0].startswith("项目") and r[0] != "项目名称"] == [
        f"项目{i}" for i in range(12)
    ]


def test_cells_under_a_merged_header_stay_apart_when_a_cut_row_continues() -> None:
    """Regression: the writer leaves out the rule under the repeated header when a cut row
    continues; the continuation's cells under a merged header cell were joined into one."""
    header = [C(0, 0, "项目名称"), C(0, 1, "资金（万元）", colspan=2), C(0, 3, "绩效目标")]
    body = []
    for i in range(10):
        goal = "保障日常办公需求，按时足额核发工资福利。" * (30 if i == 6 else 1)
        body += [C(1 + i, 0, f"项目{i}"), C(1 + i, 1, f"{i}.50"), C(1 + i, 2, "3.00")]
        body += [C(1 + i, 3, goal)]
    pdf = render_grid(header + body, 1, ["标题"], page=(500.0, 400.0), margin=30.0)
    rows = [tuple(c.text for c in r.cells if c.text) for r in _read_one(pdf).rows]
    goal = "保障日常办公需求，按时足额核发工资福利。" * 30
    assert ("项目6", "6.50", "3.00", goal) in rows
    assert sum(1 for r in rows if r and r[0] == "项目名称") == 1


def test_a_header_repeated_over_rows_that_merge_a_column_of_the_first_page_is_dropped() -> None:
    """Regression: the second page's rows all merge the first two columns, so that page has
    one column rule fewer; its repeated header was compared by column number, not taken for
    the header, and read as the continuation of the first page's last row."""
    header = [C(0, 0, "项目名称", colspan=2), C(0, 2, "金额")]
    body = [
        C(1 + i, k, t) for i in range(14) for k, t in enumerate([f"甲{i}", f"乙{i}", f"{i}.00"])
    ]
    body += [
        c
        for i in range(14, 17)
        for c in (C(1 + i, 0, f"合并{i}", colspan=2), C(1 + i, 2, f"{i}.00"))
    ]
    pdf = render_grid(header + body, 1, ["标题"], page=(400.0, 400.0), margin=30.0)
    table = _read_one(pdf)
    assert table.name == "第1–2页"
    rows = [tuple(c.text for c in r.cells) for r in table.rows]
    assert rows == [
        ("标题",),
        ("项目名称", "金额"),
        *[(f"甲{i}", f"乙{i}", f"{i}.00") for i in range(14)],
        *[(f"合并{i}", f"{i}.00") for i in range(14, 17)],
    ]


def test_amounts_side_by_side_and_numbered_items_are_text_not_a_broken_layer() -> None:
    """Regression: a cell of two amounts run together (``90.0090.00``) was taken for a number
    the text layer broke, and the whole page was sent to OCR."""
    cells = [C(0, 0, "序号"), C(0, 1, "金额"), C(0, 2, "说明")]
    cells += [C(1, 0, "1."), C(1, 1, "90.0090.00"), C(1, 2, "1.2.3")]
    table = _read_one(render_grid(cells, 1, ["标题"]))
    assert table.kind == "pdf_text"
    assert [tuple(c.text for c in r.cells) for r in table.rows][2] == ("1.", "90.0090.00", "1.2.3")


def test_cells_know_their_page_and_place() -> None:
    pdf = render_grid(_cells(3, long_row=-1), 2, ["标题"])
    table = _read_one(pdf)
    cell = next(c for r in table.rows for c in r.cells if c.text == "项目1")
    assert cell.ref == "第1页 第4行第1列"
    assert cell.page == 1
    assert cell.box is not None
    assert table.kind == "pdf_text"
    assert table.grid
    merged = next(c for r in table.rows for c in r.cells if c.text == "资金来源")
    assert (merged.rowspan, merged.colspan) == (1, 2)


def test_wrapped_latin_words_keep_one_space_and_cjk_none() -> None:
    text = "annual performance target review " * 4
    cells = [C(0, 0, "名称"), C(0, 1, "说明"), C(1, 0, "甲" * 40), C(1, 1, text.strip())]
    table = _read_one(render_grid(cells, 1, page=(300.0, 400.0), margin=20.0))
    texts = [c.text for r in table.rows for c in r.cells]
    assert "甲" * 40 in texts
    assert text.strip() in texts


@st.composite
def grids(draw: st.DrawFn) -> tuple[list[C], int]:
    """A random grid: a header of 1–2 rows with merged cells, a body with merges across
    columns, CJK and Latin texts of any length (long ones wrap inside their cells).

    At least one body row has a cell in every column, as every table does: without it a
    column rule is drawn nowhere, and no reader could see that column (a grid of one merged
    cell is a box, not a table)."""
    width = draw(st.integers(2, 6))
    header = draw(st.integers(1, 2))
    height = draw(st.integers(header + 1, 25))
    plain = draw(st.integers(header, height - 1))
    taken: set[tuple[int, int]] = set()
    cells: list[C] = []
    words = st.sampled_from(["项目", "资金", "绩效目标", "满意度", "90.00", "≥95%", "total"])
    for r in range(height):
        for k in range(width):
            if (r, k) in taken:
                continue
            rowspan = colspan = 1
            if r != plain and draw(st.integers(0, 5)) == 0:
                colspan = draw(st.integers(1, width - k))
                rowspan = draw(st.integers(1, max(1, header - r))) if r < header else 1
                span = [(rr, kk) for rr in range(r, r + rowspan) for kk in range(k, k + colspan)]
                if any(p in taken for p in span):
                    rowspan = colspan = 1
            taken |= {(rr, kk) for rr in range(r, r + rowspan) for kk in range(k, k + colspan)}
            text = "".join(draw(st.lists(words, min_size=1, max_size=12)))
            cells.append(C(r, k, text, rowspan, colspan))
    return cells, header


def _text(text: str) -> str:
    """Text as a text layer keeps it: a run of spaces is one gap, and a gap next to a CJK
    character is not kept either way."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(?<=[^\x00-\u2e7f]) | (?=[^\x00-\u2e7f])", "", text).strip()


def _shape(table: RawTable) -> list[tuple[tuple[int, int, int, str], ...]]:
    return [tuple((c, r, s, _text(t)) for c, r, s, t in row) for row in grid_shape(table)]


def printed(spec: GridSpec) -> GridSpec:
    """``spec`` as print shows it: a row no cell starts in (every position covered by a merge
    from above) has no rule of its own, so on paper it is no row."""
    covered = {
        (r, k)
        for c in spec.cells
        for r in range(c.row, c.row + c.rowspan)
        for k in range(c.col, c.col + c.colspan)
        if (r, k) != (c.row, c.col)
    }
    rows = [r for r in range(spec.height) if any((r, k) not in covered for k in range(spec.width))]
    new = {r: i for i, r in enumerate(rows)}
    cells = [
        replace(
            c, row=new[c.row], rowspan=sum(1 for r in range(c.row, c.row + c.rowspan) if r in new)
        )
        for c in spec.cells
    ]
    return replace(spec, cells=cells)


# Short pages cut the grids over several pages: rows cut in two, headers repeated with and
# without the rule under them, cut rows whose first line is drawn over the header.
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(grids(), st.sampled_from([(842.0, 2400.0), (842.0, 400.0), (595.0, 600.0)]))
def test_random_grids_read_back_as_drawn(
    grid: tuple[list[C], int], page: tuple[float, float]
) -> None:
    cells, header = grid
    before = ["项目支出绩效目标表", "单位：万元"]
    pdf = render_grid(cells, header, before, page=page)
    spec = GridSpec(
        document=None,  # type: ignore[arg-type]
        style=None,  # type: ignore[arg-type]
        cells=cells,  # type: ignore[arg-type]
        lines_before=before,
        header_row_count=header,
    )
    assert _shape(_read_one(pdf)) == _shape(as_raw_table(printed(spec), kind="pdf_text"))


# --- refusals and scans ------------------------------------------------------------------


def _image_page(canvas: Canvas) -> None:
    image = Image.new("RGB", (200, 100), "white")
    canvas.drawImage(ImageReader(image), 50, 500, 200, 100)
    canvas.showPage()


def _text_page(canvas: Canvas, text: str) -> None:
    canvas.setFont(register_font(), 12)
    canvas.drawString(50, 700, text)
    canvas.showPage()


def _pdf(*pages: str | None, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, **kwargs)  # type: ignore[arg-type]
    for page in pages:
        _image_page(canvas) if page is None else _text_page(canvas, page)
    canvas.save()
    return buffer.getvalue()


def test_without_ocr_a_scan_is_refused_naming_its_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "available", lambda: False)
    with pytest.raises(UnreadableDocument, match=r"扫描页，需要 OCR（第1、2页）.*jixiao\[ocr\]"):
        read_pdf(_pdf(None, None), "scan.pdf")


def test_without_ocr_scanned_pages_beside_a_table_are_named_in_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "available", lambda: False)
    table = render_grid(_cells(2, long_row=-1), 2, ["标题"])
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(table)
    document.import_pages(pdfium.PdfDocument(_pdf(None)))
    out = io.BytesIO()
    document.save(out)
    tables = read_pdf(out.getvalue(), "mixed.pdf")
    assert len(tables) == 1
    assert tables[0].notes
    assert "扫描页，需要 OCR（第2页）" in tables[0].notes[0]


def test_a_pdf_with_no_table_is_one_line() -> None:
    with pytest.raises(UnreadableDocument, match="没有找到表格"):
        read_pdf(_pdf("这是一份通知，正文没有表格。"), "notice.pdf")


def test_a_password_protected_pdf_is_one_line() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf("机密", encrypt=StandardEncryption("secret", canPrint=0))
    with pytest.raises(UnreadableDocument, match="密码"):
        read_pdf(data, "locked.pdf")


def test_a_corrupt_pdf_is_one_line() -> None:
    with pytest.raises(UnreadableDocument, match="损坏"):
        read_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100, "broken.pdf")


def test_pages_over_the_limit_are_refused_before_reading() -> None:
    with pytest.raises(UnreadableDocument, match="页数过多"):
        read_pdf(_pdf("一", "二", "三"), "long.pdf", ReadLimits(max_pages=2))


def test_bytes_over_the_limit_are_refused() -> None:
    with pytest.raises(UnreadableDocument, match="过大"):
        read_pdf(_pdf("一"), "big.pdf", ReadLimits(max_bytes=100))


def test_the_registry_reads_pdf_through_this_reader() -> None:
    pdf = render_grid(_cells(2, long_row=-1), 2, ["标题"])
    kind = kind_of(pdf, "t.pdf")
    assert kind is not None
    assert kind.source_kind == "pdf_text"
    assert read_tables(pdf, "t.pdf")[0].kind == "pdf_text"


def test_merged_cells_running_on_past_rows_that_end_at_a_page_break_keep_their_text() -> None:
    """Regression (issue 9, the example the department property test shrank to): the page
    breaks between two rows while merged 一级/二级 cells beside them run on. Their side rules
    end at the page's last rule with no rule under them while both neighbouring columns end
    there closed, so the merged cells and their text were lost, and their piece on the next
    page was read as a new row under the repeated header. Drawing it also needs the renderer's
    way around reportlab's failing split of a centred merged cell it does not split."""
    names = [
        "项目名称",
        "总计",
        "绩效目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "实施周期指标值",
        "年度指标值",
    ]
    goal = "保障我局机关大楼及周边办公区的日常办公需求,依法依规按时足额将工资福利核发到位。"
    cells = [C(row, k, name) for row in (0, 2) for k, name in enumerate(names)]
    # Five characters wrap in the narrow column (two lines a row), four do not: the break
    # then falls under row 8, between the rows of the last project.
    indicator = {r: f"环境可变{'零一二三四五六七八九'[r]}" for r in range(10)} | {8: "项目成本"}
    short = "保障我局机关大楼及周边办公区的日常办公需求。"
    for first, rows, text in [(1, 1, goal), (3, 3, short), (6, 4, short)]:
        cells += [
            C(first, 0, f"综合业务监管平台建设项目({first})"),
            C(first, 1, "0.01"),
            C(first, 2, text),
        ]
        cells += [C(first, 3, "产出指标", rowspan=rows), C(first, 4, "数量指标", rowspan=rows)]
        cells += [
            C(r, k, t)
            for r in range(first, first + rows)
            for k, t in [(5, indicator[r]), (6, "≥95%"), (7, "≥95%")]
        ]
    lines = ["项目支出绩效目标表", "部门名称：白云区市场监督管理局(本级)", "单位：万元"]
    pdf = render_grid(cells, 1, lines, page=(842.0, 400.0))
    table = _read_one(pdf)
    assert table.name == "第1–2页"
    grid = [(c.rowspan, c.text) for r in table.rows for c in r.cells if c.text]
    levels = [(span, text) for span, text in grid if text in ("产出指标", "数量指标")]
    assert levels == [(rows, text) for rows in (1, 3, 4) for text in ("产出指标", "数量指标")]
    indicators = [text for _, text in grid if text in indicator.values()]
    assert indicators == [indicator[r] for r in (1, 3, 4, 5, 6, 7, 8, 9)]


def test_a_bottom_rule_drawn_in_pieces_a_point_apart_closes_every_cell_above_it() -> None:
    """Regression (issue 9, the department property test over page breaks, seed 5): a page
    ended with the right cells closed by their rule and the merged cells on the left by a rule
    one point lower. Joining rule pieces went by rounded positions, so the lower piece, sorted
    after the upper one, was folded into it with the upper one's start: the left part of the
    rule was lost, and with it the cells above it and their text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(register_font(), 10)
    top, middle, bottom = 800.0, 760.0, 290.0  # 842 − 290 = 552 from the top; 289: 553
    xs = [36.0, 200.0, 400.0, 560.0]
    canvas.line(xs[0], top, xs[-1], top)
    canvas.line(xs[0], middle, xs[-1], middle)
    canvas.line(xs[0], top, xs[0], bottom - 1)
    for x in xs[1:]:
        canvas.line(x, top, x, bottom - 1)
    canvas.line(xs[2], bottom, xs[3], bottom)  # the right cells' rule, drawn first
    canvas.line(xs[0], bottom - 1, xs[2], bottom - 1)  # the left cells', a point lower
    for k, text in enumerate(["项目名称", "绩效目标", "指标值"]):
        canvas.drawString(xs[k] + 4, top - 25, text)
    for k, text in enumerate(["办公设备购置", "保障日常办公需求", "≥95%"]):
        canvas.drawString(xs[k] + 4, 500, text)
    canvas.showPage()
    canvas.save()
    table = _read_one(buffer.getvalue())
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["项目名称", "绩效目标", "指标值"],
        ["办公设备购置", "保障日常办公需求", "≥95%"],
    ]


def test_a_centred_merged_cell_cut_by_a_page_break_keeps_its_text_inside_its_rules() -> None:
    """Regression (issue 9, the department property test over page breaks, seed 12): the
    page breaks one row into a project whose merged, centred 绩效目标 cell holds four lines.
    reportlab sizes the cut cell's first piece from the rows before the cut and put more lines
    into it than its box holds, bottom-aligned: its first line stood over the rule above, in
    the previous project's goal. No writer prints a table so; the test renderer now ends such
    a page a little higher, and every cell reads back whole."""
    header = [
        C(0, 0, "项目名称(资金使用单位)", rowspan=3),
        C(0, 1, "项目资金", colspan=2),
        C(0, 3, "绩效目标", rowspan=3),
        C(0, 4, "绩效指标", colspan=5),
        C(1, 1, "资金总额", rowspan=2),
        C(1, 2, "其中"),
        *[C(1, 4 + k, t, rowspan=2) for k, t in enumerate(["一级指标", "二级指标", "三级指标"])],
        C(1, 7, "指标值（实施周期）", rowspan=2),
        C(1, 8, "指标值（年度）", rowspan=2),
        C(2, 2, "财政拨款资金"),
    ]
    goal = (
        "为完成市场监管工作目标提供基础保障,保障我局机关大楼及周边办公区的日常办公需求,"
        "查处各类市场监管领域违法行为。"
    )
    award = "获得指定奖项或达到特定条件:对4项获得第23届中国专利奖优秀奖项目等实施扶持"
    first = [C(3, k, "甲", rowspan=5) for k in range(4)]
    first += [C(3, 4, "产出指标"), C(4, 4, "效益指标"), C(5, 4, "甲", rowspan=3)]
    first += [C(r, 5, t) for r, t in enumerate(["质量", "甲", "成本", "质量", "成本"], 3)]
    first += [C(4, 6, "重大事故发生次数(次)")] + [C(r, 6, "甲") for r in (3, 5, 6, 7)]
    first += [C(r, k, "甲") for r in range(3, 8) for k in (7, 8) if (r, k) != (6, 8)]
    second = [C(8, 0, "穗财商2022年55号越秀区视频会议系统设备采购服务费", rowspan=2)]
    second += [C(8, 1, "甲", rowspan=2), C(8, 2, "甲", rowspan=2), C(8, 3, goal, rowspan=2)]
    second += [C(r, k, "甲") for r in (8, 9) for k in range(4, 9) if (r, k) != (9, 7)]
    second += [C(9, 7, award)]
    cells = header + first + second
    table = _read_one(render_grid(cells, 3, ["标题"], page=(842.0, 400.0)))
    texts = [c.text for row in table.rows for c in row.cells]
    assert goal in texts
    assert texts.count("甲") == sum(c.text == "甲" for c in cells)


def test_a_table_reportlab_finds_no_cut_for_is_cut_a_little_higher() -> None:
    """Regression (issue 9, the department property test over page breaks, seed 22): on the
    last page reportlab found no place to cut the rest of this table (a project of eight rows
    merged down beside a long 年度绩效目标), so the renderer laid it whole on a page it does not
    fit (LayoutError). A writer cuts such a page a little higher; the renderer now does too,
    and the table reads back."""
    cells = [
        C(0, 0, "序号", rowspan=3),
        C(0, 1, "项目名称", rowspan=3),
        C(0, 2, "项目资金情况", colspan=4),
        C(0, 6, "年度绩效目标", rowspan=3),
        C(0, 7, "绩效指标", colspan=5),
        C(1, 2, "资金总额", rowspan=2),
        C(1, 3, "资金来源", colspan=3),
        *[C(1, k, t, rowspan=2) for k, t in enumerate(["一级指标", "二级指标", "三级指标名称"], 7)],
        C(1, 10, "实施期指标值", rowspan=2),
        C(1, 11, "年度指标值", rowspan=2),
        *[C(2, k, t) for k, t in enumerate(["其他资金来源", "财政专户拨款", "财政拨款"], 3)],
    ]
    goal = "维护辖区市场秩序规范有序,保障我局机关大楼及周边办公区的日常办公需求,"
    name = "2021年花都区物业管理补助经费(预下达)"
    project_texts = {
        3: ["2", "甲", "甲", "1,702.36", "", "甲", "甲"],
        4: ["3", name, "3,150.95", "", "2,788.50", "362.45", "甲"],
        8: ["4", "甲", "甲", "甲", "", "甲", "甲"],
        10: ["5", "甲", "甲", "甲", "甲", "甲", goal],
    }
    heights = {3: 1, 4: 4, 8: 2, 10: 8}
    for top, texts in project_texts.items():
        cells += [C(top, k, t, rowspan=heights[top]) for k, t in enumerate(texts) if t]
    level1 = {4: "产出指标", 5: "效益指标", 6: "产出指标", 13: "产出指标"}
    merged1 = {11: 2, 14: 4}  # 一级指标 cells merged down
    words = {(4, 11): "2023年底前", (5, 10): "2023年底前", (10, 8): "服务对象满意度"}
    words |= {(14, 9): "每月考评达标率", (15, 8): "服务对象满意度", (16, 9): "网上举报投诉完成率"}
    blank = {(3, 11), (6, 11), (12, 7), (15, 7), (16, 7), (17, 7)}
    for r in range(3, 18):
        if (r, 7) not in blank:
            cells.append(C(r, 7, level1.get(r, "甲"), rowspan=merged1.get(r, 1)))
        cells += [C(r, k, words.get((r, k), "甲")) for k in range(8, 12) if (r, k) not in blank]
    table = _read_one(render_grid(cells, 3, ["标题"], page=(842.0, 400.0)))
    texts = [c.text for row in table.rows for c in row.cells]
    assert goal in texts
    assert texts.count("甲") == sum(c.text == "甲" for c in cells)
