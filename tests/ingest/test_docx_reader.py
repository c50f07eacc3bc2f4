"""The Word reader gives back the grid that was rendered: texts, spans, rows, refs, and the
paragraphs around each table; department tables rendered into .docx parse to their truth
through the whole pipeline; bad .docx files get one line."""

from __future__ import annotations

import io
import zipfile

import pytest
from crafted import ole2
from docx import Document as new_document
from generator import document_view
from grid_expectations import assigned, expected_rows, rows_of
from grid_generator import GridSpec, as_raw_table, grid_shape, grid_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rendered_grids import Grid, random_grids, render_docx

from jixiao.errors import UnreadableDocument
from jixiao.ingest import parse_bytes
from jixiao.ingest.limits import ReadLimits
from jixiao.ingest.readers import read_tables
from jixiao.ingest.readers.docx import read_docx

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEPARTMENT_SETTINGS = settings(SETTINGS, max_examples=25)


@SETTINGS
@given(st.data(), st.lists(random_grids(), min_size=1, max_size=3))
def test_random_grids_read_back(data: st.DataObject, grids: list[Grid]) -> None:
    rendered = render_docx(data.draw, grids)  # type: ignore[arg-type]
    tables = read_docx(rendered, "x.docx")
    assert [t.name for t in tables] == [f"表{n}" for n in range(1, len(grids) + 1)]
    for n, (table, grid) in enumerate(zip(tables, assigned(grids, True), strict=True), 1):
        assert (table.kind, table.grid, table.source_name) == ("docx", True, "x.docx")
        assert rows_of(table) == expected_rows(grid, "docx", f"表{n}")


@DEPARTMENT_SETTINGS
@given(st.data(), grid_specs())
def test_department_tables_read_back_and_parse_to_the_truth(
    data: st.DataObject, spec: GridSpec
) -> None:
    rendered = render_docx(data.draw, [spec])
    (table,) = read_docx(rendered, "x.docx")
    assert grid_shape(table) == grid_shape(as_raw_table(spec, "docx"))
    result = parse_bytes(rendered, "部门目标表.docx")
    assert document_view(result.document) == document_view(spec.document)
    assert result.document.source_kind == "docx"
    first = len(spec.lines_before) + 1
    for project, rows in zip(result.document.projects, spec.project_rows, strict=True):
        assert set(project.source.lines) <= {first + r for r in rows}
        assert f"表1 第{rows[0] + 1}行第" in project.source.cells[0]


def _docx(build: object) -> bytes:
    document = new_document()
    build(document)  # type: ignore[operator]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_nested_table_is_flattened_into_its_cell() -> None:
    def build(document: object) -> None:
        table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
        for r in range(2):
            for c in range(2):
                table.cell(r, c).text = f"外{r}{c}"
        inner = table.cell(1, 1).add_table(rows=2, cols=2)
        for r in range(2):
            for c in range(2):
                inner.cell(r, c).text = f"内{r}{c}"

    (table,) = read_docx(_docx(build), "x.docx")
    assert [c.text for c in table.rows[1].cells] == ["外10", "外11内00内01内10内11"]


def test_frame_table_is_read_as_its_content() -> None:
    def build(document: object) -> None:
        frame = document.add_table(rows=1, cols=1)  # type: ignore[attr-defined]
        cell = frame.cell(0, 0)
        cell.text = "单位：万元"
        inner = cell.add_table(rows=2, cols=2)
        for r in range(2):
            for c in range(2):
                inner.cell(r, c).text = f"格{r}{c}"

    (table,) = read_docx(_docx(build), "x.docx")
    assert [r.texts for r in table.rows] == [("单位：万元",), ("格00", "格01"), ("格10", "格11")]
    assert table.rows[1].cells[1].ref == "表1 第1行第2列"


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _with_body(body: str) -> bytes:
    """A .docx whose document body is ``body`` (raw WordprocessingML)."""
    source = _docx(lambda d: d.add_paragraph("x"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()
            zout.writestr(item, data)
    return out.getvalue()


H_RESTART = '<w:hMerge w:val="restart"/>'
SPAN_2 = '<w:gridSpan w:val="2"/>'


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_grid_before_hmerge_content_controls_and_deletions() -> None:
    body = (
        "<w:tbl>"
        f"<w:tr>{_tc('甲', H_RESTART)}{_tc('', '<w:hMerge/>')}"
        f"{_tc('乙')}</w:tr>"
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        f"<w:sdt><w:sdtContent>{_tc('丙')}</w:sdtContent></w:sdt>"
        "<w:tc><w:p><w:r><w:t>丁</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>"
        "<w:r><w:tab/><w:t>x</w:t><w:br/><w:t>戊</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl>"
    )
    (table,) = read_docx(_with_body(body), "x.docx")
    assert [[(c.col, c.colspan, c.text) for c in r.cells] for r in table.rows] == [
        [(0, 2, "甲"), (2, 1, "乙")],
        [(1, 1, "丙"), (2, 1, "丁 x戊")],
    ]


def test_vmerge_continue_without_a_start_is_a_cell_of_its_own() -> None:
    body = (
        f"<w:tbl><w:tr>{_tc('a')}{_tc('b')}</w:tr>"
        f"<w:tr>{_tc('c', '<w:vMerge/>')}{_tc('d', SPAN_2 + '<w:vMerge/>')}"
        "</w:tr></w:tbl>"
    )
    (table,) = read_docx(_with_body(body), "x.docx")
    assert [[(c.col, c.rowspan, c.colspan, c.text) for c in r.cells] for r in table.rows] == [
        [(0, 1, 1, "a"), (1, 1, 1, "b")],
        [(0, 1, 1, "c"), (1, 1, 2, "d")],
    ]


# --- bad input --------------------------------------------------------------------------------


def _refused(data: bytes, name: str = "x.docx", limits: ReadLimits | None = None) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_docx(data, name, *([limits] if limits else []))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    return message


def test_prose_only_document() -> None:
    data = _docx(lambda d: [d.add_paragraph("只有文字，没有表格。"), d.add_paragraph("第二段")])
    assert "没有表格" in _refused(data)


def test_corrupt_docx() -> None:
    good = _docx(lambda d: d.add_table(rows=2, cols=2))
    assert "损坏" in _refused(good[: len(good) // 2])
    assert "损坏" in _refused(b"not a zip at all")


def test_docx_zip_bomb() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    assert "zip bomb" in _refused(out.getvalue())


def test_workbook_renamed_to_docx() -> None:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert "不是有效的 Word" in _refused(buffer.getvalue())


def test_registry_reads_word_by_content_and_refuses_old_or_damaged_files() -> None:
    document = _docx(lambda d: d.add_table(rows=2, cols=2))
    (table,) = read_tables(document, "导出文件.bin")
    assert table.kind == "docx"
    old_word = ole2({"WordDocument": b"\xec\xa5" + b"\x00" * 600, "1Table": b"\x00"})
    with pytest.raises(UnreadableDocument, match=r"请另存为 \.docx"):
        read_tables(old_word, "misnamed.docx")
    with pytest.raises(UnreadableDocument, match="损坏"):
        read_tables(document[:-200], "cut.docx")


def test_cell_bound() -> None:
    data = _docx(lambda d: d.add_table(rows=20, cols=10))
    assert "单元格过多" in _refused(data, limits=ReadLimits(max_cells=100))
