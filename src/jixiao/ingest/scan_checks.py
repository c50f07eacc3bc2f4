"""What OCR could not settle, said as warnings that name the cell, never silently kept.

- a cell the recogniser read with a score under ``LOW_SCORE`` (``ocr_low_confidence``: the
  cell's place, its page and box, the score and the text read);
- a project whose amounts read from a scan do not add up, total ≠ 财政拨款 + 财政专户拨款 +
  其他资金 (``ocr_amounts_mismatch``): one of them may be misread, so none is trusted silently.

The layouts' own checks (an amount that is not a number, a 合计 row that is not the sum of the
projects) warn as for every other kind of input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from jixiao.domain.document import Document
from jixiao.domain.provenance import ParseWarning, SourceRef
from jixiao.ingest.rawtable import RawTable

SCAN_KINDS = ("image", "pdf_scan")
LOW_SCORE = 0.8


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
                        SourceRef(
                            pages=(cell.page,) if cell.page else (),
                            cells=(cell.ref,) if cell.ref else (),
                            raw_text=cell.text,
                        ),
                    )
                )
    return out


def amounts_mismatch(document: Document) -> None:
    """Warn on each project whose total is not the sum of its sources."""
    for project in document.projects:
        amounts = project.amounts
        parts = (amounts.fiscal, amounts.special, amounts.other)
        if amounts.total is None or all(p is None for p in parts):
            continue
        if amounts.total != amounts.parts_sum():
            where = project.source.describe()
            project.warnings.append(
                ParseWarning(
                    "ocr_amounts_mismatch",
                    f"项目“{project.name}”的总计 {amounts.total} 不等于各来源之和 "
                    f"{amounts.parts_sum()}（扫描件，可能有识别错误），请对照原件核对{where}",
                    project.source,
                )
            )


def check_scans(tables: Sequence[RawTable], documents: Sequence[Document]) -> None:
    """Add the warnings above to ``documents`` read from scanned ``tables``."""
    if not any(t.kind in SCAN_KINDS for t in tables) or not documents:
        return
    documents[0].warnings.extend(low_confidence(t for t in tables if t.kind in SCAN_KINDS))
    for document in documents:
        amounts_mismatch(document)
