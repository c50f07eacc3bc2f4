"""What OCR could not settle, said as warnings that name the cell, never silently kept.

- a cell the recogniser read with a score under ``LOW_SCORE`` (``ocr_low_confidence``: the
  cell's place, its page and box, the score and the text read);
- a project whose amounts read from a scan do not add up, total ≠ 财政拨款 + 财政专户拨款 +
  其他资金 (``ocr_amounts_mismatch``): one of them may be misread, so none is trusted silently;
  the warning names the row's amount cells;
- an amount cell whose letters the recogniser gave for digits (``1,7l4.44``, ``2O.00``) mended
  by ``mend_glyphs`` before the layouts read it (``ocr_glyph_repaired``, and a repair).

Every warning's source carries the cells' page boxes, so a person can be shown the crop.

The layouts' own checks (an amount that is not a number, a 合计 row that is not the sum of the
projects) warn as for every other kind of input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from jixiao.domain.document import Document
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.ingest.normalize import looks_like_amount
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable, page_boxes

SCAN_KINDS = ("image", "pdf_scan")
LOW_SCORE = 0.8
# Letters the recogniser gives for digits in a number, and the digit each stands for.
DIGIT_LOOKALIKES = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"}
_LOOKALIKE = re.compile("[" + re.escape("".join(DIGIT_LOOKALIKES)) + "]")
MAX_MENDED = 2  # more look-alikes than this in one cell: not a number misread


def is_scan(table: RawTable) -> bool:
    return table.kind in SCAN_KINDS


def _source(cells: Sequence[RawCell], raw_text: str | None = None) -> SourceRef:
    return SourceRef(
        pages=tuple(sorted({c.page for c in cells if c.page is not None})),
        cells=tuple(dict.fromkeys(c.ref for c in cells if c.ref)),
        raw_text=raw_text,
        boxes=page_boxes(cells, text=True),
    )


def low_confidence(tables: Iterable[RawTable]) -> list[ParseWarning]:
    out = []
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.score is None or cell.score >= LOW_SCORE or cell.is_empty:
                    continue
                out.append(
                    ParseWarning(
                        "ocr_low_confidence",
                        f"{cell.where}的文字识别把握不大（{cell.score:.2f}）：“{cell.text}”，"
                        "请对照原件核对",
                        _source([cell], cell.text),
                    )
                )
    return out


def _mended(text: str) -> str | None:
    """``text`` with look-alike letters as digits, when that makes a number of it."""
    found = _LOOKALIKE.findall(text)
    if not found or len(found) > MAX_MENDED or not re.search(r"\d", text):
        return None
    if looks_like_amount(text):
        return None
    mended = _LOOKALIKE.sub(lambda m: DIGIT_LOOKALIKES[m.group(0)], text)
    return mended if looks_like_amount(mended) else None


def mend_glyphs(table: RawTable) -> RawTable:
    """A scanned table with the look-alike letters of its number cells read as digits, each
    change a repair and a warning naming the cell (the layouts then read the number)."""
    if not is_scan(table):
        return table
    repairs: list[Repair] = []
    warnings: list[ParseWarning] = []

    def mend(cell: RawCell) -> RawCell:
        mended = None if cell.score is None else _mended(cell.text)
        if mended is None:
            return cell
        reason = f"扫描识别的“{'”“'.join(_LOOKALIKE.findall(cell.text))}”按数字改正"
        repairs.append(Repair(cell.ref or cell.where, cell.text, mended, reason))
        warnings.append(
            ParseWarning(
                "ocr_glyph_repaired",
                f"{cell.where}的“{cell.text}”含形似数字的字母，已按“{mended}”读取，请对照原件核对",
                _source([cell], cell.text),
            )
        )
        return replace(cell, text=mended)

    rows = tuple(RawRow(row.line, tuple(mend(c) for c in row.cells)) for row in table.rows)
    if not repairs:
        return table
    return replace(
        table,
        rows=rows,
        repairs=(*table.repairs, *repairs),
        warnings=(*table.warnings, *warnings),
    )


def _amount_source(source: SourceRef, cells: Mapping[str, RawCell]) -> SourceRef:
    """The amount cells among a project's cells (all of them when none is known)."""
    found = [cells[ref] for ref in source.cells if ref in cells]
    amounts = [c for c in found if looks_like_amount(c.text)]
    return _source(amounts) if amounts else source


def amounts_mismatch(document: Document, cells: Mapping[str, RawCell] | None = None) -> None:
    """Warn on each project whose total is not the sum of its sources, naming its amount
    cells (``cells``: the scanned cells by ref)."""
    for project in document.projects:
        amounts = project.amounts
        parts = (amounts.fiscal, amounts.special, amounts.other)
        if amounts.total is None or all(p is None for p in parts):
            continue
        if amounts.total != amounts.parts_sum():
            source = _amount_source(project.source, cells or {})
            project.warnings.append(
                ParseWarning(
                    "ocr_amounts_mismatch",
                    f"项目“{project.name}”的总计 {amounts.total} 不等于各来源之和 "
                    f"{amounts.parts_sum()}（扫描件，可能有识别错误），请对照原件核对"
                    f"{source.describe()}",
                    source,
                )
            )


def check_scans(tables: Sequence[RawTable], documents: Sequence[Document]) -> None:
    """Add the warnings above to ``documents`` read from scanned ``tables``."""
    scans = [t for t in tables if is_scan(t)]
    if not scans or not documents:
        return
    documents[0].warnings.extend(low_confidence(scans))
    cells = {c.ref: c for t in scans for row in t.rows for c in row.cells if c.ref}
    for document in documents:
        amounts_mismatch(document, cells)
