"""Cell grids rendered into Word documents and saved web pages, the way offices and government
sites write them, for the .docx and HTML reader tests.

A grid is anything shaped like ``grid_generator.GridSpec``: ``cells`` (``SpecCell`` at its
top-left with spans), ``lines_before`` / ``lines_after`` and ``width``. ``random_grids()``
draws abstract ones (any merges, any texts); ``grid_specs()`` draws department tables.

Rendering choices are drawn too, and each keeps the text a reader must give back:

- a cell's text is wrapped over several paragraphs / ``<br>`` / source lines only where joining
  the pieces again gives the same text (between two characters one of which is CJK, or at a
  single space between two others);
- Word: merges through python-docx's ``cell.merge`` (``w:gridSpan``, ``w:vMerge``), blank
  paragraphs around the table, text as paragraphs or line breaks;
- HTML: ``rowspan``/``colspan`` (sometimes written out as ``1``), ``<th>`` header cells,
  ``&nbsp;`` for runs of spaces, entities, the table inside page chrome (navigation lists,
  link tables, ``发布时间``/``来源`` lines and tables, a footer, scripts, comments, a page frame
  table), saved as UTF-8 or GB18030, with ``<meta charset>``, ``http-equiv``, a BOM or nothing.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from typing import Any, Protocol

from docx import Document as new_document
from grid_generator import SpecCell
from hypothesis import strategies as st

Draw = Any


class GridLike(Protocol):
    cells: list[SpecCell]
    lines_before: list[str]
    lines_after: list[str]

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...


@dataclass
class Grid:
    """An abstract table: cells with spans and the text lines around it."""

    cells: list[SpecCell]
    lines_before: list[str] = field(default_factory=list)
    lines_after: list[str] = field(default_factory=list)
    sheet: str = "Sheet1"

    @property
    def width(self) -> int:
        return max(c.col + c.colspan for c in self.cells)

    @property
    def height(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)


def is_wide(char: str) -> bool:
    return ord(char) >= 0x2E80


# --- random grids ----------------------------------------------------------------------------

CELL_CHARS = "项目名称资金来源财政拨款其他绩效目标指标值产出数量质量时效成本效益满意度合计万元年度"
CELL_ALPHABET = CELL_CHARS + "0123456789ABCxyz.%≥≤（）-/、，；"
TITLES = [
    "某区市场监督管理局2023年项目支出绩效目标表",
    "附件2",
    "部门名称：某区卫生健康局",
    "单位：万元",
    "金额单位：元",
    "表一  项目资金情况",
    "2024 年度 Budget Table",
]
NOTES = ["注：本表金额均保留两位小数。", "注1：指标值以批复为准。", "备注：无"]
AFTER = ["填表人：张三", "联系电话：12345678", *NOTES]


@st.composite
def cell_texts(draw: Draw) -> str:
    """A cell text: CJK, digits, Latin and punctuation, single or double spaces inside."""
    words = draw(st.lists(st.text(CELL_ALPHABET, min_size=1, max_size=8), min_size=1, max_size=3))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from([" ", "  ", ""])) + word
    return text


@st.composite
def random_grids(draw: Draw, max_rows: int = 7, max_cols: int = 6) -> Grid:
    """A grid of random size with random non-overlapping merged ranges; some cells blank."""
    height = draw(st.integers(2, max_rows))
    width = draw(st.integers(2, max_cols))
    covered: set[tuple[int, int]] = set()
    cells: list[SpecCell] = []
    for r in range(height):
        for c in range(width):
            if (r, c) in covered:
                continue
            rowspan = draw(st.sampled_from([1, 1, 1, 2, height - r]))
            rowspan = max(1, min(rowspan, height - r))
            colspan = draw(st.sampled_from([1, 1, 1, 2, width - c]))
            colspan = max(1, min(colspan, width - c))
            # a merge stops at a position an earlier merge (from a row above) already covers
            colspan = next((k for k in range(1, colspan) if (r, c + k) in covered), colspan)
            covered |= {(rr, cc) for rr in range(r, r + rowspan) for cc in range(c, c + colspan)}
            text = draw(cell_texts()) if draw(st.integers(0, 9)) else ""
            cells.append(SpecCell(r, c, text, rowspan, colspan))
    before = draw(st.lists(st.sampled_from(TITLES), max_size=3))
    after = draw(st.lists(st.sampled_from(AFTER), max_size=2))
    return Grid(cells, before, after)


def has_data(grid: GridLike) -> bool:
    """What the HTML reader counts as a data table: two rows with two texts each."""
    counts: dict[int, int] = {}
    for c in grid.cells:
        if c.text:
            counts[c.row] = counts.get(c.row, 0) + 1
    return sum(1 for n in counts.values() if n >= 2) >= 2


# --- wrapping ---------------------------------------------------------------------------------


def wrap(draw: Draw, text: str) -> list[str]:
    """``text`` cut into lines at up to two places where joining them again gives ``text``."""
    cuts: list[tuple[int, int]] = []  # (end of a line, start of the next)
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if not a.isspace() and not b.isspace() and (is_wide(a) or is_wide(b)):
            cuts.append((i, i))
        if (
            a == " "
            and i >= 2
            and not text[i - 2].isspace()
            and not b.isspace()
            and not is_wide(text[i - 2])
            and not is_wide(b)
        ):
            cuts.append((i - 1, i))
    if not cuts or not draw(st.integers(0, 2)):
        return [text]
    chosen = sorted(set(draw(st.lists(st.sampled_from(cuts), min_size=1, max_size=2))))
    lines: list[str] = []
    start = 0
    for end, next_start in chosen:
        if end <= start:
            continue
        lines.append(text[start:end])
        start = next_start
    lines.append(text[start:])
    return lines


# --- Word ---------------------------------------------------------------------------------------


def _docx_cell_text(draw: Draw, cell: Any, text: str) -> None:
    lines = wrap(draw, text)
    cell.text = lines[0]
    for line in lines[1:]:
        if draw(st.booleans()):
            cell.add_paragraph(line)
        else:
            run = cell.paragraphs[-1].add_run()
            run.add_break()
            run.add_text(line)


def _docx_paragraph(draw: Draw, document: Any, text: str) -> None:
    if draw(st.integers(0, 3)) == 0:
        document.add_paragraph("")
    document.add_paragraph(text)


def render_docx(draw: Draw, grids: list[GridLike]) -> bytes:
    """One .docx holding the grids in order, each with its lines as paragraphs around it."""
    document = new_document()
    for grid in grids:
        for line in grid.lines_before:
            _docx_paragraph(draw, document, line)
        table = document.add_table(rows=grid.height, cols=grid.width)
        for c in grid.cells:
            cell = table.cell(c.row, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
            _docx_cell_text(draw, cell, c.text)
        for line in grid.lines_after:
            _docx_paragraph(draw, document, line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------------

NAV = ["首页", "政务公开", "政府信息公开", "财政预决算", "办事服务", "互动交流"]
CHROME_LINES = [
    "发布时间：2023-03-15 10:20  来源：区财政局",
    "【字号：大 中 小】 打印本页 关闭窗口",
    "信息来源：本站  浏览次数：1024",
    "当前位置：首页 > 政务公开 > 财政预决算",
]
FOOTER = [
    "版权所有：某区人民政府  网站标识码：4401110001",
    "粤ICP备12345678号  粤公网安备 44011102000001号",
    "主办单位：某区人民政府办公室  技术支持：某科技公司",
]


def _escape(draw: Draw, text: str) -> str:
    """HTML for ``text``: entities, runs of spaces as ``&nbsp;``."""
    out = html.escape(text, quote=False)
    while "  " in out:
        out = out.replace("  ", "&nbsp;" + draw(st.sampled_from(["&nbsp;", " "])), 1)
    if "（" in out and draw(st.booleans()):
        out = out.replace("（", "&#65288;")
    return out


def _html_text(draw: Draw, text: str) -> str:
    """A cell's content: its lines joined by ``<br>``, source line breaks or block elements."""
    lines = [_escape(draw, line) for line in wrap(draw, text)]
    how = draw(st.sampled_from(["br", "newline", "p", "span"]))
    if how == "br":
        return draw(st.sampled_from(["<br>", "<br/>", "<br />\n  "])).join(lines)
    if how == "newline":
        return "\n        ".join(lines)
    if how == "p":
        return "".join(f"<p>{line}</p>" for line in lines)
    return "<br>".join(f"<span>{line}</span>" for line in lines)


def _html_table(draw: Draw, grid: GridLike) -> str:
    rows: list[str] = []
    by_row: dict[int, list[SpecCell]] = {}
    for c in grid.cells:
        by_row.setdefault(c.row, []).append(c)
    covered = {
        (r, k)
        for c in grid.cells
        for r in range(c.row, c.row + c.rowspan)
        for k in range(c.col, c.col + c.colspan)
    }
    header = draw(st.booleans())
    for r in range(grid.height):
        at = {c.col: c for c in by_row.get(r, [])}
        cells = []
        for k in range(grid.width):
            cell = at.get(k)
            if cell is None:
                if (r, k) not in covered:
                    cells.append("<td></td>")  # a blank position
                continue
            tag = "th" if header and r == 0 else "td"
            attrs = ""
            if cell.rowspan > 1 or draw(st.integers(0, 5)) == 0:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1 or draw(st.integers(0, 5)) == 0:
                attrs += f" colspan={cell.colspan}"
            cells.append(f"<{tag}{attrs}>{_html_text(draw, cell.text)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "\n".join(rows)
    if draw(st.booleans()):
        body = f"<tbody>\n{body}\n</tbody>"
    border = draw(st.sampled_from(["", ' border="1" cellspacing="0"', ' class="MsoNormalTable"']))
    return f"<table{border}>\n{body}\n</table>"


def _chrome_block(draw: Draw) -> str:
    kind = draw(st.sampled_from(["nav", "links", "line", "info_table", "script", "comment"]))
    if kind == "nav":
        items = draw(st.lists(st.sampled_from(NAV), min_size=2, max_size=6))
        return "<ul class=nav>" + "".join(f'<li><a href="#">{i}</a></li>' for i in items) + "</ul>"
    if kind == "links":
        cells = [f'<td><a href="/{i}">{t}</a></td>' for i, t in enumerate(NAV)]
        return f"<table><tr>{''.join(cells[:3])}</tr><tr>{''.join(cells[3:])}</tr></table>"
    if kind == "line":
        return f"<div class=info>{draw(st.sampled_from(CHROME_LINES))}</div>"
    if kind == "info_table":
        return (
            "<table><tr><td>发布时间：2023-03-15</td><td>来源：区财政局</td></tr>"
            "<tr><td>【字号：大 中 小】</td><td>打印本页</td></tr></table>"
        )
    if kind == "script":
        return "<script>var t = '<table><tr><td>项目</td><td>金额</td></tr></table>';</script>"
    return "<!-- <table><tr><td>旧表</td><td>1</td></tr><tr><td>a</td><td>b</td></tr></table> -->"


def _lines_html(draw: Draw, lines: list[str]) -> str:
    tags = ["p", "div", "h2", "center"]
    return "\n".join(
        f"<{t}>{_escape(draw, line)}</{t}>"
        for line, t in zip(
            lines,
            draw(st.lists(st.sampled_from(tags), min_size=len(lines), max_size=len(lines))),
            strict=True,
        )
    )


ENCODINGS = [
    ("utf-8", '<meta charset="utf-8">'),
    ("utf-8", ""),
    ("utf-8-sig", ""),
    ("gb18030", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
    ("gb18030", "<meta charset=GBK>"),
    ("gb18030", '<meta charset="gb18030" />'),
    ("gb18030", ""),
]


def render_html(draw: Draw, grids: list[GridLike]) -> tuple[bytes, str]:
    """A saved government page holding the grids, and the encoding it was written in.

    Above each table: chrome, then its lines; below it: its notes (``lines_after``), chrome.
    The readers keep the lines above a table and the notes below it.
    """
    parts: list[str] = [_chrome_block(draw) for _ in range(draw(st.integers(0, 3)))]
    for grid in grids:
        parts += [_chrome_block(draw) for _ in range(draw(st.integers(0, 2)))]
        parts.append(_lines_html(draw, grid.lines_before))
        parts.append(_html_table(draw, grid))
        parts.append(_lines_html(draw, grid.lines_after))
    footer = draw(st.lists(st.sampled_from(FOOTER), min_size=1, max_size=3))
    parts.append(f"<div class=footer>{'<br>'.join(footer)}</div>")
    content = "\n".join(parts)
    if draw(st.booleans()):  # the whole page laid out by a frame table: navigation | content
        nav = "".join(f'<a href="#">{n}</a><br>' for n in NAV)
        content = (
            f'<table width="100%"><tr><td width="20%">{nav}</td><td>{content}</td></tr></table>'
        )
    encoding, meta = draw(st.sampled_from(ENCODINGS))
    page = (
        f"<!DOCTYPE html>\n<html>\n<head>\n{meta}\n<title>某区人民政府网</title>\n"
        "<style>td { border: 1px solid #000 }</style>\n</head>\n<body>\n"
        f"{content}\n</body>\n</html>\n"
    )
    return page.encode(encoding), encoding
