"""Web pages (.html) saved from government sites → one grid ``RawTable`` per data table.

The page is decoded by its byte-order mark, else its ``<meta charset>`` / ``http-equiv``
declaration, else by detection (charset-normalizer); GB2312 and GBK pages are decoded as
GB18030, the superset they are in practice. lxml parses it (no network, ``huge_tree`` off).

A page holds its table among navigation, ``发布时间``/``来源`` lines, footers and tables used only
for page structure. Every ``<table>`` whose cells hold at least two rows of two or more texts is
read as its own ``RawTable``, except chrome: tables whose every text is a link or a
publishing/footer line. Which of them is the target table the layout decides. A table nested in
a data table is read on its own and left out of the cell around it. ``rowspan`` / ``colspan``
become spans (HTML's table model: ``rowspan="0"`` runs to the last row, spans are clipped at the
table's end, at cells already placed and at ``ReadLimits.max_cols``; a row with more cells than
that is refused). ``<br>``, block elements and line wraps in the source
are joined as wrapping (CJK without a space); ``&nbsp;`` and full-width spaces are spaces.

The lines just above a table (caption, title, ``单位：万元``) become rows above it, chrome lines
left out; notes (``注：``) just below it become rows below it. Line refs count the page's text
lines: ``正文第12行``.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, Budget, ReadLimits, check_extent
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers.grid import (
    Placed,
    TextLine,
    assign_text,
    grid_table,
    join_lines,
    split_lines,
)
from jixiao.ingest.sniff import check_size

if TYPE_CHECKING:  # lxml and charset-normalizer are loaded when a web page is read
    from lxml import etree

_PRESCAN = 8192
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "ms936", "windows-936", "euc-cn", "x-gbk"}
_GB_FAMILY |= {"csgb2312", "gb_2312-80", "gb_2312", "chinese", "iso-ir-58", "hz-gb-2312"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SKIPPED = {"script", "style", "noscript", "template", "select", "textarea", "head", "title"}
_SKIPPED |= {"iframe", "object", "svg", "math", "button"}
_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "caption"}
_BLOCKS |= {"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav"}
_BLOCKS |= {"aside", "main", "blockquote", "pre", "address", "center", "form", "hr", "fieldset"}
_BLOCKS |= {"thead", "tbody", "tfoot", "figure", "figcaption", "legend", "body", "html"}
_CHROME = re.compile(
    r"发布(?:时间|日期)|信息来源|来源[:：]|浏览(?:次数|量)|点击(?:数|量|次数)|阅读(?:次数|量)|"
    r"字号|打印本页|关闭窗口|分享到|当前位置|您的位置|版权所有|Copyright|©|ICP备|公网安备|"
    r"网站标识码|主办单位|承办单位|联系我们|网站地图|技术支持|【\s*大\s*中\s*小\s*】",
    re.I,
)
_HTML_SPACE = re.compile(r"[ \t\f]+")
_NUMBER = re.compile(r"\s*(\d+)")
_TableTest = Callable[["etree._Element"], bool]
# Tables nested deeper than this inside other tables are not read (page-structure debris).
MAX_TABLE_NESTING = 16


def read_html(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[RawTable, ...]:
    """Every data table of a web page, in page order, named ``表1``, ``表2`` …"""
    check_size(len(data), name, limits)
    text, encoding = decode(data, name)
    body = _parse(text)
    budget = Budget(name, limits)
    tables = _data_tables(body, budget)
    if not tables:
        raise UnreadableDocument(f"{name}: 网页中没有数据表格 (no data table in the page)")
    around = _around(body, tables, budget)
    return tuple(
        grid_table(
            t.cells,
            name=f"表{number}",
            source_name=name,
            kind="html",
            before=before,
            after=after,
            notes=(f"encoding={encoding}",),
        )
        for number, (t, (before, after)) in enumerate(zip(tables, around, strict=True), 1)
    )


# --- decoding --------------------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The page's text and the encoding it was decoded with."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    _refuse_binary(data, name)
    declared = _declared(data)
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Undeclared pages are Chinese: weigh the Chinese encodings first (short GB18030 pages
    # pass for Korean cp949 when every encoding is weighed).
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best() or from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableDocument(f"{name}: 无法识别网页的字符编码 (unknown text encoding)")
    encoding = _python_codec(best.encoding) or best.encoding
    return data.decode(encoding, errors="replace"), encoding


def _refuse_binary(data: bytes, name: str) -> None:
    if b"\x00" in data[:4096]:
        raise UnreadableDocument(f"{name}: 不是网页（HTML）文件，而是二进制文件 (not an HTML page)")


def _declared(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:_PRESCAN])
    return _python_codec(found[1].decode("ascii")) if found else None


def _python_codec(label: str) -> str | None:
    """A Python codec for a charset label; the GB2312/GBK family as GB18030; None if unknown."""
    label = label.strip().lower()
    if label.replace("_", "-") in _GB_FAMILY or label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _parse(text: str) -> etree._Element:
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        huge_tree=False, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text), parser=parser)
    except (etree.ParserError, ValueError):
        return etree.Element("body")
    body = root.find("body")
    return body if body is not None else root


# --- tables ----------------------------------------------------------------------------------


@dataclass
class _Table:
    element: etree._Element
    cells: list[Placed] = field(default_factory=list)
    chrome: list[bool] = field(default_factory=list)

    @property
    def is_data(self) -> bool:
        """At least two rows with two texts, and not every text a link or a chrome line."""
        texts: dict[int, int] = {}
        for cell in self.cells:
            if cell.text:
                texts[cell.row] = texts.get(cell.row, 0) + 1
        rows = sum(1 for count in texts.values() if count >= 2)
        real = any(c.text and not chrome for c, chrome in zip(self.cells, self.chrome, strict=True))
        return rows >= 2 and real


def _data_tables(body: etree._Element, budget: Budget) -> list[_Table]:
    """The data tables of the page in page order; inner tables are read before outer ones, so
    that a data table nested in a cell is left out of that cell's text."""
    elements = [t for t in body.iter("table") if _table_depth(t) <= MAX_TABLE_NESTING]
    data: dict[int, _Table] = {}
    for element in reversed(elements):
        table = _read_table(element, budget, lambda inner: id(inner) in data)
        if table.is_data:
            data[id(element)] = table
    return [data[id(e)] for e in elements if id(e) in data]


def _table_depth(element: etree._Element) -> int:
    return sum(1 for _ in element.iterancestors("table"))


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, in source order (not those of tables nested in its cells)."""
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if tr.tag == "tr")
    return rows


def _span(cell: etree._Element, attribute: str, default: int) -> int:
    value = cell.get(attribute)
    found = _NUMBER.match(value) if value else None
    return int(found[1]) if found else default


def _read_table(element: etree._Element, budget: Budget, skip: _TableTest) -> _Table:
    """The cells of one table placed by HTML's table model; ``skip`` tells nested tables whose
    text is not part of a cell."""
    budget.clock()
    table = _Table(element)
    rows = _rows(element)
    check_extent(len(rows), 1, budget.name, budget.limits)
    taken: dict[int, set[int]] = {}
    for r, tr in enumerate(rows):
        col = 0
        for td in (cell for cell in tr if cell.tag in ("td", "th")):
            row_taken = taken.setdefault(r, set())
            while col in row_taken:
                col += 1
            if col >= budget.limits.max_cols:
                check_extent(len(rows), col + 1, budget.name, budget.limits)
            colspan = min(max(_span(td, "colspan", 1), 1), 1000, budget.limits.max_cols - col)
            rowspan = _span(td, "rowspan", 1)
            rowspan = len(rows) - r if rowspan == 0 else min(max(rowspan, 1), len(rows) - r)
            width = 1
            while width < colspan and col + width not in row_taken:
                width += 1
            budget.cell(width * rowspan)
            for rr in range(r, r + rowspan):
                taken.setdefault(rr, set()).update(range(col, col + width))
            text, chrome = _cell_text(td, skip, budget)
            table.cells.append(Placed(r, col, text, rowspan, width))
            table.chrome.append(chrome)
            col += width
    return table


def _cell_text(td: etree._Element, skip: _TableTest, budget: Budget) -> tuple[str, bool]:
    """A cell's text and whether it is chrome (a plain-text cell takes the short way)."""
    if len(td) == 0:
        text = _line_text(td.text or "")
        return text, bool(_CHROME.search(text)) if text else True
    lines = _Lines()
    _walk(td, lines, skip, budget)
    return join_lines(line.text for line in lines.done), all(line.chrome for line in lines.done)


# --- text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    chrome: bool


@dataclass
class _Lines:
    """Text lines broken where a browser breaks them (``<br>``, block elements); a line is
    chrome if all its text is link text or it reads like a publishing, navigation or footer
    line."""

    done: list[_Line] = field(default_factory=list)
    buffer: str = ""
    linked: bool = True

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.buffer += text
            self.linked = self.linked and (in_link or not text.strip())

    def end(self) -> None:
        if not self.buffer:
            return
        text = _line_text(self.buffer)
        if text:
            self.done.append(_Line(text, self.linked or bool(_CHROME.search(text))))
        self.buffer = ""
        self.linked = True


def _line_text(source: str) -> str:
    """One line's text: source line breaks are wrapping, runs of white space one space
    (``&nbsp;`` is a space that stays)."""
    pieces = (_HTML_SPACE.sub(" ", part) for part in split_lines(source))
    return join_lines(piece.replace("\u00a0", " ") for piece in pieces)


def _walk(element: etree._Element, lines: _Lines, at_table: _TableTest, budget: Budget) -> None:
    """The text of ``element``'s content into ``lines``; a nested table for which ``at_table``
    is true is skipped."""
    links = 0
    from lxml import etree

    walker = etree.iterwalk(element, events=("start", "end"))
    for seen, (event, node) in enumerate(walker):
        if seen % 4096 == 4095:
            budget.clock()
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                lines.end()
            if tag in _SKIPPED or (node is not element and tag == "table" and at_table(node)):
                walker.skip_subtree()
                continue
            links += tag == "a"
            lines.add(node.text, links > 0)
        else:
            links -= tag == "a"
            if tag in _BLOCKS:
                lines.end()
            if node is not element:
                lines.add(node.tail, links > 0)
    lines.end()


def _around(
    body: etree._Element, tables: list[_Table], budget: Budget
) -> list[tuple[list[TextLine], list[TextLine]]]:
    """The lines above and below each table (none for a table nested in another one)."""
    ids = {id(t.element) for t in tables}
    lines = _Lines()
    marks: dict[int, int] = {}

    def at_table(node: etree._Element) -> bool:
        if id(node) not in ids:
            return False
        caption = node.find("caption")
        if caption is not None:
            _walk(caption, lines, lambda _: True, budget)
        marks[id(node)] = len(lines.done)
        return True

    _walk(body, lines, at_table, budget)
    numbered = [
        (TextLine(line.text, f"正文第{n}行"), line.chrome) for n, line in enumerate(lines.done, 1)
    ]
    seen = [t for t in tables if id(t.element) in marks]
    cuts = [0, *(marks[id(t.element)] for t in seen), len(numbered)]
    stretches = [
        [text for text, chrome in numbered[a:b] if not chrome] for a, b in itertools.pairwise(cuts)
    ]
    placed = dict(zip((id(t.element) for t in seen), assign_text(stretches, False), strict=True))
    return [placed.get(id(t.element), ([], [])) for t in tables]
