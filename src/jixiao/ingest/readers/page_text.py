"""Single-project forms as page text (copied out of a web page or a PDF text layer) → grids.

Recognised by content: a text with a form's labels — 项目名称, and 实际完成值 / 全年执行数
(自评表) or 资金总额 with a 目标 label (目标表) — and no list header line (项目名称 with 总计,
绩效目标 or two funds columns on one line: the OCR-text reader's input). Each form becomes one
grid ``RawTable`` laid out the way the form layouts read it (``page_forms``); every mend the
copy needed is a ``Repair`` and every doubt a warning on the table, handed to the document
read from it.
"""

from __future__ import annotations

from jixiao.domain.provenance import ParseWarning, SourceRef
from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import ReadLimits, check_extent
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.readers.ocr_text import decode_text
from jixiao.ingest.readers.page_forms import FormText, split_forms
from jixiao.ingest.readers.page_selfeval import selfeval_rows
from jixiao.ingest.readers.page_target import target_rows
from jixiao.ingest.readers.page_tokens import tokenize
from jixiao.ingest.readers.recognise import page_text_kind


def read_page_text(data: bytes, name: str, limits: ReadLimits) -> tuple[RawTable, ...]:
    """One grid table per form of the page text in ``data``."""
    text, encoding = decode_text(data, name)
    kind = page_text_kind(text)
    page = tokenize(text)
    check_extent(len(page.lines), max(map(len, page.lines), default=0), name, limits)
    forms, before = split_forms(page)
    if not forms or kind is None:
        raise UnreadableDocument(f"{name}: 文字中没有找到“项目名称”开头的表 (no form found)")
    tables = []
    for n, form in enumerate(forms):
        (selfeval_rows if kind == "self_evaluation" else target_rows)(form)
        if n == 0:
            form.repairs[:0] = page.repairs
            if page.fragment:
                line = page.fragment[0][0]
                form.warnings.insert(0, _unplaced(line, " ".join(t for _, t in page.fragment)))
            if before:
                form.warnings.insert(0, _unplaced(before[0].line, " ".join(t.text for t in before)))
        tables.append(_table(form, name, n, len(text.splitlines()), encoding))
    return tuple(tables)


def _unplaced(line: int, text: str) -> ParseWarning:
    return ParseWarning(
        "unplaced_text",
        f"第一张表之前的内容（第{line}行起）不属于任何项目，未采用：“{text[:60]}”",
        SourceRef(lines=(line,), raw_text=text),
    )


def _table(form: FormText, name: str, index: int, line_count: int, encoding: str) -> RawTable:
    rows = tuple(
        RawRow(
            n,
            tuple(RawCell(text, col, n, ref=f"第{line}行") for col, text, line in cells if text),
        )
        for n, cells in enumerate(form.rows, start=1)
    )
    return RawTable(
        tuple(r for r in rows if r.cells),
        name,
        line_count,
        "page_text",
        (f"encoding={encoding}",),
        "page_text",
        True,
        f"第{index + 1}张表",
        repairs=tuple(form.repairs),
        warnings=tuple(form.warnings),
    )
