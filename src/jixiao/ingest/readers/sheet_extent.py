"""A sheet's true extent, read from its XML before a workbook library sees it.

python-calamine builds each sheet as a dense range from its first to its last value cell, so a
file with values only at ``A1`` and ``XFD1048576`` would make it allocate 17 billion cells. The
extent is therefore measured here first, streaming the sheet's XML in chunks (its declared
``<dimension>`` cannot be trusted), and ``check_extent`` refuses a sheet before calamine builds
it. Only cells holding something count: empty styled cells are skipped by calamine too.

- xlsx/xlsm: ``<c r="C7" …>…</c>`` elements of ``xl/worksheets/*.xml``; a cell without ``r``
  takes its row's ``r`` and counts towards the width by its position.
- ods: ``table:table-cell`` elements of ``content.xml`` with their ``number-columns-repeated`` and
  their rows' ``number-rows-repeated`` (a repeated cell with a value is expanded by readers).
"""

from __future__ import annotations

import re
import xml.parsers.expat
import zipfile
from dataclasses import dataclass, field
from functools import cache

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import ReadLimits, check_extent

CHUNK = 1 << 20
# A merged range as calamine gives it: ((first row, first col), (last row, last col)), 0-based.
Merge = tuple[tuple[int, int], tuple[int, int]]
# A value cell written the usual way: ``r`` first, not self-closing (``<c r="B2"/>`` is empty),
# with its style when ``s`` comes next.
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,6})")?[^>]*(?<!/)>')
_EMPTY_CELL = re.compile(rb"<c [^>]*/>")
# A cell tag written any other way: a namespace prefix, or other whitespace after ``c``.
_UNUSUAL_CELL = re.compile(rb"<[\w.-]+:c[\s/>]|<c[\t\r\n]")
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?:\s[^>]*)?>")
_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ROW = re.compile(rb'\sr="([0-9]{1,7})"')


@dataclass
class Extent:
    """Rows and columns from the first to the last value cell, and how many value cells."""

    first_row: int = 0
    last_row: int = 0
    first_col: int = 0
    last_col: int = 0
    cells: int = 0

    def cover(self, top: int, left: int, bottom: int, right: int, count: int) -> None:
        """Grow to include the block ``top..bottom`` × ``left..right`` holding ``count`` cells."""
        if not self.cells:
            self.first_row, self.first_col = top, left
        self.first_row, self.first_col = min(self.first_row, top), min(self.first_col, left)
        self.last_row, self.last_col = max(self.last_row, bottom), max(self.last_col, right)
        self.cells += count

    @property
    def height(self) -> int:
        return self.last_row - self.first_row + 1 if self.cells else 0

    @property
    def width(self) -> int:
        return self.last_col - self.first_col + 1 if self.cells else 0

    def check(self, name: str, limits: ReadLimits) -> None:
        check_extent(self.height, self.width, name, limits)
        if self.cells > limits.max_cells:
            check_extent(self.cells, 1, name, limits)


@cache
def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    number = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    """1 → ``A``, 27 → ``AA`` (inverse of ``column_number``)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _XlsxScan:
    """Scanning state carried from one chunk of a worksheet part to the next."""

    extent: Extent
    styles: dict[bytes, str] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    row: int = 0
    col: int = 0

    def feed(self, text: bytes) -> None:
        """Add the value cells of a run of whole tags."""
        refs = _CELL.findall(text)
        tags = text.count(b"<c ") + text.count(b"<c>") - len(_EMPTY_CELL.findall(text))
        if len(refs) == tags and _UNUSUAL_CELL.search(text) is None:
            self._add_refs(refs)
        else:
            self._walk(text)
        styles = self.styles
        if styles:
            for col, row, style in refs:
                code = styles.get(style)
                if code:
                    self.formats[(int(row) - 1, column_number(col) - 1)] = code

    def _add_refs(self, refs: list[tuple[bytes, bytes, bytes]]) -> None:
        if not refs:
            return
        cols = [column_number(c) for c in {c for c, _, _ in refs}]
        rows = [int(r) for r in {r for _, r, _ in refs}]
        self.extent.cover(min(rows), min(cols), max(rows), max(cols), len(refs))
        self.row, self.col = int(refs[-1][1]), column_number(refs[-1][0])

    def _walk(self, text: bytes) -> None:
        """Cells not written ``<c r=…``: place each by its own ``r``, else its row and order."""
        for match in _TAG.finditer(text):
            tag = match.group(0)
            if match.group(1) == b"row":
                found = _ROW.search(tag)
                self.row, self.col = (int(found.group(1)) if found else self.row + 1), 0
                continue
            ref = _REF.search(tag)
            if ref:
                self.row, self.col = int(ref.group(2)), column_number(ref.group(1))
            else:
                self.col += 1
            if not tag.endswith(b"/>"):
                row = max(self.row, 1)
                self.extent.cover(row, self.col, row, self.col, 1)


def xlsx_scan(
    archive: zipfile.ZipFile, member: str, name: str, limits: ReadLimits, styles: dict[int, str]
) -> dict[tuple[int, int], str]:
    """Measure one worksheet part, refusing it as soon as it passes ``limits``; return the
    number formats (of ``styles``) of its cells by 0-based (row, column)."""
    scan = _XlsxScan(Extent(), {str(k).encode(): v for k, v in styles.items()})
    carry = b""
    with archive.open(member) as part:
        while block := part.read(CHUNK):
            text = carry + block
            cut = text.rfind(b">") + 1
            carry, text = text[cut:], text[:cut]
            if len(carry) > CHUNK:
                raise UnreadableDocument(f"{name}: 工作表内容格式异常 (malformed sheet XML)")
            scan.feed(text)
            scan.extent.check(name, limits)
    return scan.formats


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T = _TABLE_NS + " "
_VALUE_TYPE = _OFFICE_NS + " value-type"


@dataclass
class _OdsScan:
    """Walks ``content.xml`` with expat, tracking each table's value cells and repeats."""

    name: str
    limits: ReadLimits
    extent: Extent | None = None
    row: int = 0
    col: int = 0
    rows_repeated: int = 1
    cell: tuple[int, int] | None = None  # (first column, repeat) of the open cell
    cell_has_value: bool = False
    row_cells: list[tuple[int, int]] | None = None
    depth: int = 0
    table: str = ""
    merges: dict[str, list[Merge]] = field(default_factory=dict)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == _T + "table":
            self.extent, self.row = Extent(), 0
            self.table = attrs.get(_T + "name", "")
        elif self.extent is None:
            return
        elif tag == _T + "table-row":
            self.col, self.row_cells = 0, []
            self.rows_repeated = _repeat(attrs.get(_T + "number-rows-repeated"))
        elif tag in (_T + "table-cell", _T + "covered-table-cell") and self.cell is None:
            self.cell = (self.col, _repeat(attrs.get(_T + "number-columns-repeated")))
            self.cell_has_value = _VALUE_TYPE in attrs
            self.depth = 0
            self._span(attrs)
        elif self.cell is not None:
            self.cell_has_value = True
            self.depth += 1

    def end(self, tag: str) -> None:
        if self.extent is None:
            return
        if tag in (_T + "table-cell", _T + "covered-table-cell") and self.depth == 0:
            if self.cell is not None:
                first, repeat = self.cell
                if self.cell_has_value and self.row_cells is not None:
                    self.row_cells.append((first, repeat))
                self.col = first + repeat
            self.cell = None
        elif self.cell is not None:
            self.depth -= 1
        elif tag == _T + "table-row":
            for first, repeat in self.row_cells or []:
                self.extent.cover(
                    self.row + 1,
                    first + 1,
                    self.row + self.rows_repeated,
                    first + repeat,
                    repeat * self.rows_repeated,
                )
            self.row += self.rows_repeated
            self.extent.check(self.name, self.limits)
        elif tag == _T + "table":
            self.extent.check(self.name, self.limits)
            self.extent = None

    def _span(self, attrs: dict[str, str]) -> None:
        rows = _repeat(attrs.get(_T + "number-rows-spanned"))
        cols = _repeat(attrs.get(_T + "number-columns-spanned"))
        if rows > 1 or cols > 1:
            spans = self.merges.setdefault(self.table, [])
            spans.append(((self.row, self.col), (self.row + rows - 1, self.col + cols - 1)))
            if len(spans) > self.limits.max_cells:
                check_extent(len(spans), 1, self.name, self.limits)


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1


def ods_scan(archive: zipfile.ZipFile, name: str, limits: ReadLimits) -> dict[str, list[Merge]]:
    """The merged ranges of each table of an .ods (calamine gives none for ODS), refusing the
    file when a table, with repeats expanded, passes ``limits``."""
    scan = _OdsScan(name, limits)
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    try:
        with archive.open("content.xml") as part:
            while block := part.read(CHUNK):
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError:
        raise UnreadableDocument(f"{name}: 表格内容格式异常 (malformed ODS XML)") from None
    return scan.merges
