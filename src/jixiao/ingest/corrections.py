"""A person's corrections of cells, applied to the grid before the layouts read it.

The import preview shows the cells a reader doubted (``scan_checks``); the person may retype
any of them. On confirmation the file is read again, ``apply_corrections`` puts each typed
text in the cell with that ref (``第1页 第2行第2列``), and the layouts run on the corrected
grid, so a corrected amount flows into the document like any other value. Each change is a
repair (before, after, ``CORRECTED``) on the table; a ref that names no cell, or more than one
(the lines around a table share their page's ref), is a warning and changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable

CORRECTED = "人工核对更正"
MAX_CORRECTIONS = 500
MAX_TEXT = 2000
MAX_REF = 100


def _refs(tables: Sequence[RawTable]) -> Counter[str]:
    return Counter(c.ref for t in tables for row in t.rows for c in row.cells if c.ref)


def _corrected(table: RawTable, wanted: Mapping[str, str]) -> RawTable:
    repairs: list[Repair] = []

    def correct(cell: RawCell) -> RawCell:
        text = wanted.get(cell.ref)
        if text is None or text == cell.text:
            return cell
        repairs.append(Repair(cell.ref, cell.text, text, CORRECTED))
        # typed by a person: no recogniser score left to doubt
        return replace(cell, text=text, score=None)

    rows = tuple(RawRow(row.line, tuple(correct(c) for c in row.cells)) for row in table.rows)
    if not repairs:
        return table
    return replace(table, rows=rows, repairs=(*table.repairs, *repairs))


def apply_corrections(
    tables: Sequence[RawTable], corrections: Mapping[str, str]
) -> tuple[RawTable, ...]:
    """``tables`` with the text of each cell named in ``corrections`` (ref → text) replaced."""
    if not corrections:
        return tuple(tables)
    counts = _refs(tables)
    wanted = {ref: text.strip()[:MAX_TEXT] for ref, text in corrections.items()}
    unique = {ref: text for ref, text in wanted.items() if counts[ref] == 1}
    out = [_corrected(t, unique) for t in tables]
    refused = [
        ParseWarning(
            "correction_unmatched",
            f"更正的单元格“{ref}”{'在表中不唯一' if counts[ref] else '不在表中'}，未采用：“{text}”",
            SourceRef(cells=(ref,), raw_text=text),
        )
        for ref, text in wanted.items()
        if counts[ref] != 1
    ]
    if refused and out:
        out[0] = replace(out[0], warnings=(*out[0].warnings, *refused))
    return tuple(out)
