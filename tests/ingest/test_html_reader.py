"""The HTML reader finds the data tables of a saved government page among its chrome and gives
back the grid that was rendered: texts, spans, rows, refs, the lines above each table and the
notes below; whatever the encoding. Department tables rendered into pages parse to their truth
through the whole pipeline. Bad pages get one line."""

from __future__ import annotations

import pytest
from generator import document_view
from grid_expectations import assigned, expected_rows, rows_of
from grid_generator import GridSpec, as_raw_table, grid_shape, grid_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rendered_grids import Grid, has_data, random_grids, render_html

from jixiao.errors import UnreadableDocument
from jixiao.ingest import parse_bytes
from jixiao.ingest.limits import ReadLimits
from jixiao.ingest.readers import read_tables
from jixiao.ingest.readers.html import read_html

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEPARTMENT_SETTINGS = settings(SETTINGS, max_examples=25)


def _encoding(written: str) -> str:
    return "utf-8" if written.startswith("utf-8") else written


@SETTINGS
@given(st.data(), st.lists(random_grids().filter(has_data), min_size=1, max_size=2))
def test_random_grids_read_back_from_a_page(data: st.DataObject, grids: list[Grid]) -> None:
    page, encoding = render_html(data.draw, grids)  # type: ignore[arg-type]
    tables = read_html(page, "x.html")
    assert [t.name for t in tables] == [f"表{n}" for n in range(1, len(grids) + 1)]
    for n, (table, grid) in enumerate(zip(tables, assigned(grids, False), strict=True), 1):
        assert (table.kind, table.grid) == ("html", True)
        assert table.notes == (f"encoding={_encoding(encoding)}",)
        assert rows_of(table) == expected_rows(grid, "html", f"表{n}")


@DEPARTMENT_SETTINGS
@given(st.data(), grid_specs())
def test_department_tables_read_back_from_a_page_and_parse_to_the_truth(
    data: st.DataObject, spec: GridSpec
) -> None:
    page, _ = render_html(data.draw, [spec])
    (table,) = read_html(page, "x.html")
    (expected,) = assigned([spec], False)
    assert grid_shape(table) == grid_shape(as_raw_table(expected, "html"))  # type: ignore[arg-type]
    result = parse_bytes(page, "部门目标表.html")
    assert document_view(result.document) == document_view(spec.document)
    assert result.document.source_kind == "html"


def _page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


TABLE = (
    "<table><tr><td>项目名称</td><td>总计</td></tr><tr><td>甲项目</td><td>1.00</td></tr></table>"
)


def test_table_nested_in_a_data_table_is_its_own_table() -> None:
    inner = "<table><tr><td>内1</td><td>内2</td></tr><tr><td>内3</td><td>内4</td></tr></table>"
    page = _page(
        f"<table><tr><td>外1</td><td>外2</td></tr><tr><td>外3</td><td>外4{inner}</td></tr></table>"
    )
    outer, nested = read_html(page, "x.html")
    assert [r.texts for r in outer.rows] == [("外1", "外2"), ("外3", "外4")]
    assert [r.texts for r in nested.rows] == [("内1", "内2"), ("内3", "内4")]


def test_small_table_nested_in_a_cell_stays_in_its_text() -> None:
    inner = "<table><tr><td>≥95%</td><td>年度</td></tr></table>"
    page = _page(
        f"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>丁{inner}</td></tr></table>"
    )
    (table,) = read_html(page, "x.html")
    assert table.rows[1].texts == ("c", "丁≥95%年度")


def test_caption_and_lines_above_are_rows_above_the_table() -> None:
    page = _page(
        "<p>发布时间：2024-01-02</p><h3>某局2024年项目\n  支出绩效目标表</h3>"
        "<p>&#x5355;&#20301;&#12288;：<b>万</b>元</p>"
        f"{TABLE.replace('<table>', '<table><caption>表一</caption>')}"
        "<p>注：无</p><p>相关链接</p>"
    )
    (table,) = read_html(page, "x.html")
    assert [r.texts for r in table.rows] == [
        ("某局2024年项目支出绩效目标表",),
        ("单位\u3000：万元",),
        ("表一",),
        ("项目名称", "总计"),
        ("甲项目", "1.00"),
        ("注：无",),
    ]
    assert table.rows[0].cells[0].colspan == 2


def test_text_of_a_table_that_holds_no_data_is_text_around() -> None:
    title = "<table><tr><td>某局项目支出绩效目标表</td><td>单位：万元</td></tr></table>"
    (table,) = read_html(_page(title + TABLE), "x.html")
    assert [r.texts for r in table.rows][:2] == [("某局项目支出绩效目标表",), ("单位：万元",)]


def test_rowspan_zero_and_spans_past_the_table_are_clipped() -> None:
    page = _page(
        '<table><tr><td rowspan="0">a</td><td colspan="2">b</td></tr>'
        '<tr><td rowspan="9">c</td><td>d</td></tr><tr><td colspan="x">e</td><td>f</td></tr></table>'
    )
    (table,) = read_html(page, "x.html")
    assert [[(c.col, c.rowspan, c.colspan, c.text) for c in r.cells] for r in table.rows] == [
        [(0, 3, 1, "a"), (1, 1, 2, "b")],
        [(1, 2, 1, "c"), (2, 1, 1, "d")],
        [(2, 1, 1, "e"), (3, 1, 1, "f")],
    ]


def test_gbk_page_with_xml_declaration_and_wrong_meta() -> None:
    body = f"<p>单位：万元</p>{TABLE}"
    xhtml = f'<?xml version="1.0" encoding="gbk"?><html><head></head><body>{body}</body></html>'
    (table,) = read_html(xhtml.encode("gbk"), "x.xhtml")
    assert table.rows[0].texts == ("单位：万元",)
    lying = _page(body, '<meta charset="utf-8">').decode().encode("gb18030")
    (table,) = read_html(lying, "x.html")
    assert table.rows[1].texts == ("项目名称", "总计")


# --- bad input --------------------------------------------------------------------------------


def _refused(data: bytes, name: str = "x.html", limits: ReadLimits | None = None) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_html(data, name, *([limits] if limits else []))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    return message


def test_page_without_a_table() -> None:
    assert "没有数据表格" in _refused(_page("<h1>通知</h1><p>没有表。</p>"))
    assert "没有数据表格" in _refused(b"   ")


def test_page_with_only_chrome_tables() -> None:
    links = "".join(f"<td><a href='#'>{n}</a></td>" for n in "首页 政务 公开".split())
    chrome = f"<table><tr>{links}</tr><tr>{links}</tr></table>"
    info = (
        "<table><tr><td>发布时间：2023</td><td>来源：本站</td></tr>"
        "<tr><td>字号</td><td>打印本页</td></tr></table>"
    )
    assert "没有数据表格" in _refused(_page(chrome + info))


def test_binary_junk_named_html() -> None:
    junk = bytes(range(256)) * 64
    assert "二进制" in _refused(junk)
    assert "二进制" in _refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + junk)


def test_deep_nesting_is_read_within_bounds() -> None:
    def nested(levels: int) -> bytes:
        return _page("<table><tr><td>" * levels + TABLE + "</td></tr></table>" * levels)

    (table,) = read_html(nested(10), "x.html")
    assert table.rows[-1].texts == ("甲项目", "1.00")
    # tables nested deeper than MAX_TABLE_NESTING are page debris, and so is a table deeper
    # than the 255 elements the parser keeps: one line, no table
    assert "没有数据表格" in _refused(nested(40))
    assert "没有数据表格" in _refused(_page("<div>" * 5000 + TABLE + "</div>" * 5000))


def test_cell_and_time_bounds() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>{i}</td></tr>" for i in range(60))
    page = _page(f"<table>{rows}</table>")
    assert "(too many cells)" in _refused(page, limits=ReadLimits(max_cells=100))
    assert "超时" in _refused(page, limits=ReadLimits(max_seconds=0.0))
    wide = _page("<table><tr>" + "<td>x</td>" * 300 + "</tr><tr><td>y</td><td>z</td></tr></table>")
    assert "表格范围过大" in _refused(wide)
    spanned = _page(f'<table><tr><td colspan="900">x</td></tr>{rows}</table>')
    (table,) = read_html(spanned, "x.html")
    assert table.rows[0].cells[0].colspan == 256


def test_registry_reads_pages_by_name_or_by_content() -> None:
    page = _page(TABLE)
    assert read_tables(page, "网页.htm")[0].kind == "html"
    assert read_tables(b"\n<!DOCTYPE html>" + page, "saved.txt")[0].kind == "html"
    xhtml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0">'
    )
    assert read_tables(xhtml + page, "page.xml")[0].kind == "html"
    # Word's "save as web page", published under a .doc name
    word_page = _page(TABLE, "<meta http-equiv=Content-Type content='text/html; charset=gb2312'>")
    word_page = word_page.replace(b"<html>", b'<html xmlns:o="urn:schemas-microsoft-com:office">')
    assert read_tables(word_page.decode().encode("gb18030"), "目标表.doc")[0].kind == "html"
    with pytest.raises(UnreadableDocument, match="二进制"):
        read_tables(b"\x00\x01junk" * 100, "junk.html")


def test_size_bound() -> None:
    assert "文件过大" in _refused(_page("x" * 2000), limits=ReadLimits(max_bytes=1000))
