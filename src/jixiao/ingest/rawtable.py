"""The one intermediate shape every reader produces: rows of cells with where they came from.

A reader (OCR text, text-layer PDF, Excel …) turns its input into a ``RawTable``; layouts then
recognise and map it. Cells keep their raw text untouched; normalisation happens later.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawCell:
    """One cell as the reader found it: raw text, 0-based column, 1-based source line."""

    text: str
    col: int
    line: int

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


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
    """Every non-blank row of an input, in order, with the input's name and line count."""

    rows: tuple[RawRow, ...]
    source_name: str = ""
    line_count: int = 0
    reader: str = ""
    # Notes a reader makes about the input itself (e.g. the encoding it decoded).
    notes: tuple[str, ...] = ()
