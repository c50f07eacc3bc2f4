"""What the Word and HTML readers share: cell text clean-up, and a table's cells plus the text
around it turned into one grid ``RawTable``.

A reader finds, for each table, its cells already placed on the grid (``Placed``: 0-based table
row and column, spans, text) and the text lines between tables (``TextLine``). ``assign_text``
decides which of those lines belong above or below which table; ``grid_table`` numbers the rows
in reading order and writes the ``RawTable`` with the refs a person would use
(``表1 第3行第2列``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jixiao.ingest.rawtable import RawCell, RawRow, RawTable

# Lines kept above a table (its title, 单位, 部门名称 …), nearest first; and below the last one.
MAX_LINES_AROUND = 6
_NOTE = re.compile(r"^\s*(?:注|备注|说明|附注)\s*[0-9０-９一二三四五六七八九十]*\s*[:：.、]")


@dataclass(frozen=True)
class Placed:
    """A cell of one table at its top-left grid position (0-based row and column)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TextLine:
    """A line of text outside any table, with where a person finds it (``第12段``)."""

    text: str
    ref: str


def _is_wide(char: str) -> bool:
    """CJK ideographs, kana, hangul and the full-width forms and punctuation around them."""
    return ord(char) >= 0x2E80


def join_lines(lines: Iterable[str]) -> str:
    """Wrapped lines as one text: each line trimmed (full-width and non-breaking spaces too),
    blank ones dropped, CJK joined without a space and other text with one. Spaces inside a
    line are kept as they are."""
    out = ""
    for line in lines:
        piece = line.strip()
        if not piece:
            continue
        if out and not (_is_wide(out[-1]) or _is_wide(piece[0])):
            out += " "
        out += piece
    return out


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` (``\\r\\n``, ``\\r``, ``\\n``, U+2028 and the other breaks)."""
    return text.splitlines() or [text]


def is_note(line: str) -> bool:
    """``注：…`` / ``备注：…`` / ``说明：…``: a note that belongs under the table above it."""
    return bool(_NOTE.match(line))


def assign_text(
    stretches: Sequence[Sequence[TextLine]], keep_after_last: bool
) -> list[tuple[list[TextLine], list[TextLine]]]:
    """Lines above and below each table, from the stretches of text between tables.

    ``stretches[i]`` is the text before table ``i``; the last stretch is the text after the last
    table (so there is one more stretch than tables). Notes (``注：``) that open a stretch go
    under the table before it; the rest of a stretch goes above the table after it, the
    ``MAX_LINES_AROUND`` lines nearest to it. After the last table come its notes, or, with
    ``keep_after_last``, its first ``MAX_LINES_AROUND`` lines whatever they are.
    """
    tables = len(stretches) - 1
    out: list[tuple[list[TextLine], list[TextLine]]] = []
    for i in range(tables):
        before = list(stretches[i])
        if i > 0:
            before = before[len(_leading_notes(before)) :]
        after = list(stretches[i + 1])
        if i + 1 < tables or not keep_after_last:
            after = _leading_notes(after)
        else:
            after = after[:MAX_LINES_AROUND]
        out.append((before[-MAX_LINES_AROUND:], after))
    return out


def _leading_notes(lines: Sequence[TextLine]) -> list[TextLine]:
    count = 0
    while count < len(lines) and is_note(lines[count].text):
        count += 1
    return list(lines[:count])


def grid_table(
    cells: Sequence[Placed],
    *,
    name: str,
    source_name: str,
    kind: str,
    before: Sequence[TextLine] = (),
    after: Sequence[TextLine] = (),
    notes: tuple[str, ...] = (),
) -> RawTable:
    """One table's cells and the text around it as a grid ``RawTable`` named ``name``.

    Rows are numbered 1, 2, … in reading order: the lines above, the table's rows, the lines
    below. A row none of whose cells has text is left out (its number stays taken, so spans
    keep their meaning). Each line of text is one cell spanning the table's width.
    """
    width = max((c.col + c.colspan for c in cells), default=1)
    height = max((c.row + c.rowspan for c in cells), default=0)
    top = len(before)
    rows: list[RawRow] = [_text_row(line, number, width) for number, line in enumerate(before, 1)]
    by_row: dict[int, list[Placed]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(cell)
    for index in sorted(by_row):
        placed = sorted(by_row[index], key=lambda c: c.col)
        if not any(c.text.strip() for c in placed):
            continue
        number = top + index + 1
        rows.append(RawRow(number, tuple(_cell(c, number, name) for c in placed)))
    rows += [_text_row(line, top + height + n, width) for n, line in enumerate(after, 1)]
    return RawTable(
        rows=tuple(rows),
        source_name=source_name,
        line_count=top + height + len(after),
        reader=kind,
        notes=notes,
        kind=kind,
        grid=True,
        name=name,
    )


def _cell(c: Placed, number: int, table: str) -> RawCell:
    ref = f"{table} 第{c.row + 1}行第{c.col + 1}列"
    return RawCell(c.text, c.col, number, c.rowspan, c.colspan, ref)


def _text_row(line: TextLine, number: int, width: int) -> RawRow:
    return RawRow(number, (RawCell(line.text, 0, number, 1, width, line.ref),))
