"""The one intermediate shape every reader produces: a grid of cells with where they came from.

A reader (OCR text, workbook, Word, HTML, text-layer PDF, scan …) turns its input into one
``RawTable`` per table it finds; layouts then recognise and map it. Cells keep their raw text
untouched; normalisation happens later.

Two families of readers fill the same shape:

- **line readers** (OCR text): one row per text line, cells are the line's tab/space-separated
  pieces; ``grid`` is False, spans are 1 and ``ref`` is empty (the line number says it all).
- **grid readers** (xlsx/xls/ods/csv, docx, HTML, PDF): ``grid`` is True. ``line`` is the
  1-based row of the grid in reading order (for a workbook, the sheet row), ``col`` the 0-based
  grid column. A merged cell is **one** ``RawCell`` at its top-left position with ``rowspan`` /
  ``colspan``; the positions it covers have no cell of their own. ``ref`` says where the cell is
  in the input, in the words a person would use to find it: ``Sheet1!C7``, ``表1 第3行第2列``
  (Word/HTML tables), ``第2页 第3行第2列`` (PDF, with ``page`` and ``box`` set too; a scan's
  ``box`` is in points on the page turned upright and levelled, and ``score`` is the OCR's).
  Text around a table that matters to layouts (title, ``单位：万元``, notes under it) comes as
  rows of one cell spanning the table's width, in the order it appears, above or below the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.domain.provenance import PageBox, ParseWarning, Repair

# (x0, top, x1, bottom) in PDF points, or pixels for images, origin at the page's top left.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class RawCell:
    """One cell as the reader found it: raw text, 0-based column, 1-based row (or text line)."""

    text: str
    col: int
    line: int
    rowspan: int = 1
    colspan: int = 1
    ref: str = ""
    page: int | None = None
    box: Box | None = None
    # OCR'd cells: the recogniser's score in [0, 1] (the weakest piece of the cell's text)
    score: float | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    @property
    def where(self) -> str:
        """Provenance for messages: the reader's ``ref``, else the text line."""
        return self.ref or f"第{self.line}行"

    def page_box(self, text: bool = False) -> PageBox | None:
        """The cell's place on its page (with its text when ``text``), for a cell read from
        one (PDF, scan)."""
        if self.page is None or self.box is None:
            return None
        return PageBox(self.page, self.box, self.ref, self.text if text else None)


def page_boxes(cells: Iterable[RawCell], text: bool = False) -> tuple[PageBox, ...]:
    """The page boxes of ``cells`` read from a page, in order, each once (with the cells'
    texts when ``text``: a warning shows what was read beside the crop)."""
    found = (c.page_box(text) for c in cells)
    return tuple(dict.fromkeys(b for b in found if b is not None))


@dataclass(frozen=True)
class RawRow:
    """A physical row (one text line, or one sheet/page row) and its cells in order."""

    line: int
    cells: tuple[RawCell, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.cells)

    @property
    def non_empty(self) -> tuple[RawCell, ...]:
        return tuple(c for c in self.cells if not c.is_empty)

    @property
    def is_single_text(self) -> bool:
        """A line with one cell of text: a title, a caption, or a header line."""
        return len(self.non_empty) == 1 and len(self.cells) == 1


@dataclass(frozen=True)
class RawTable:
    """Every non-blank row of one table of an input, in order, with where it came from.

    ``kind`` is the contract's ``source_kind`` (``ocr_text``, ``xlsx``, ``xls``, ``ods``,
    ``csv``, ``docx``, ``html``, ``pdf_text`` …); ``name`` names the table inside the input
    (sheet name, ``表2``, ``第1–3页``), empty when the input holds one table.
    """

    rows: tuple[RawRow, ...]
    source_name: str = ""
    line_count: int = 0
    reader: str = ""
    # Notes a reader makes about the input itself (e.g. the encoding it decoded).
    notes: tuple[str, ...] = ()
    kind: str = "ocr_text"
    grid: bool = False
    name: str = ""
    # What a reader mended to recover the table (page text: a footer, a split number …) and
    # what it doubted; the document read from the table carries them.
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()

    @property
    def width(self) -> int:
        """Number of grid columns (the rightmost column any cell reaches, plus one)."""
        return max((c.col + c.colspan for r in self.rows for c in r.cells), default=0)
