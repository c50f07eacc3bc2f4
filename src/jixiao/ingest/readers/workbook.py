"""Workbooks (.xlsx/.xlsm, .xls, .ods, WPS-saved too) → one grid ``RawTable`` per non-empty sheet.

Read with python-calamine. The kind is recognised by content (a zip holding ``xl/workbook.xml``,
an OLE2 file with a ``Workbook`` stream, a zip whose ``mimetype`` is an ODF spreadsheet), so a
misnamed file is read for what it is. Before calamine sees a sheet, its XML is measured
(``sheet_extent``): calamine builds every sheet as a dense range, and a crafted file must be
refused before that range is allocated.

Each cell becomes a ``RawCell`` at its sheet position (``line`` the 1-based sheet row, ``col``
the 0-based sheet column, ``ref`` like ``Sheet1!C7``); a merged range is one cell with its spans
and the positions it covers have none. Empty cells between a row's first and last cells are
kept, so columns stay where they are. Text is the value as a person sees it (``cell_text``):
numbers exact, with the places an .xlsx number format shows; dates ISO; wrapped lines joined.
"""

from __future__ import annotations

import gc
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import python_calamine as calamine

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import Budget, ReadLimits, check_extent, check_zip
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.readers.cell_text import cell_text, number_text
from jixiao.ingest.readers.containers import (
    is_ole2,
)
from jixiao.ingest.readers.recognise import is_ods
from jixiao.ingest.readers.sheet_extent import Merge, column_letters, ods_scan, xlsx_scan
from jixiao.ingest.readers.xlsx_styles import fixed_place_styles

_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb'\b(Id|Target|Type)="([^"]*)"')
Formats = dict[tuple[int, int], str]
_new = object.__new__


def kind_of(data: bytes) -> str:
    if is_ole2(data):
        return "xls"
    return "ods" if is_ods(data, "") else "xlsx"


def read_workbook(
    data: bytes,
    name: str,
    limits: ReadLimits,
    sheet: str | None = None,
    keep_lines: bool = False,
) -> tuple[RawTable, ...]:
    """Every non-empty worksheet (or only ``sheet``) as a grid RawTable; ``keep_lines`` keeps
    the line breaks inside a text cell (as LF) instead of joining the lines."""
    kind = kind_of(data)
    formats: dict[str, Formats] = {}
    merges: dict[str, list[Merge]] = {}
    if kind != "xls":
        archive = check_zip(data, name, limits)
        if kind == "xlsx":
            formats = _measure_xlsx(archive, name, limits)
        else:
            merges = ods_scan(archive, name, limits)
    book = _open(data, name)
    budget = Budget(name, limits)
    tables = []
    for meta in book.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet or sheet not in (None, meta.name):
            continue
        grid = _load(book, meta.name, name)
        check_extent(grid.height, grid.width, name, limits)
        spans = merges.get(meta.name, []) if kind == "ods" else grid.merged_cell_ranges or []
        with _no_cycle_collection():
            rows = _rows(grid, meta.name, formats.get(meta.name, {}), spans, budget, keep_lines)
        if rows:
            line_count = grid.end[0] + 1 if grid.end else 0
            notes = (f"sheet={meta.name}",)
            tables.append(
                RawTable(rows, name, line_count, "workbook", notes, kind, True, meta.name)
            )
        budget.clock()
    if sheet is not None and not any(t.name == sheet for t in tables):
        names = "、".join(book.sheet_names)
        raise UnreadableDocument(
            f"{name}: 没有名为“{sheet}”的非空工作表（有：{names}）(no such sheet)"
        )
    if not tables:
        raise UnreadableDocument(f"{name}: 工作簿中所有工作表都是空的 (empty workbook)")
    return tuple(tables)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a sheet's cells are built: they hold no cycles,
    and the collector's passes over tens of thousands of new objects cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _open(data: bytes, name: str) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise UnreadableDocument(
            f"{name}: 文件设有打开密码，请取消密码后重新保存再导入 (password-protected)"
        ) from None
    except (calamine.CalamineError, ValueError, OSError) as exc:
        raise UnreadableDocument(
            f"{name}: 工作簿已损坏，无法读取 (corrupt workbook: {exc})"
        ) from None


def _load(book: calamine.CalamineWorkbook, sheet: str, name: str) -> calamine.CalamineSheet:
    try:
        return book.get_sheet_by_name(sheet)
    except calamine.PasswordError:
        raise UnreadableDocument(
            f"{name}: 文件设有打开密码，请取消密码后重新保存再导入 (password-protected)"
        ) from None
    except (calamine.CalamineError, ValueError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnreadableDocument(
            f"{name}: 工作表“{sheet}”已损坏，无法读取 (corrupt sheet: {message})"
        ) from None


def _measure_xlsx(archive: zipfile.ZipFile, name: str, limits: ReadLimits) -> dict[str, Formats]:
    """Measure every worksheet part (refusing oversized ones); number formats by sheet name."""
    parts = _sheet_parts(archive)
    styles = fixed_place_styles(archive)
    found = {p: p for p in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", p)}
    by_part = {
        part: xlsx_scan(archive, part, name, limits, styles)
        for part in {*found, *parts.values()}
        if part in archive.NameToInfo
    }
    return {sheet: by_part.get(part, {}) for sheet, part in parts.items()}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part, from ``xl/workbook.xml`` and its relationships."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _REL.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[attrs.get(b"Id", b"")] = posixpath.normpath(part)
    return {
        _unescape(sheet.decode("utf-8", "replace")): targets[rid]
        for sheet, rid in _SHEET.findall(workbook)
        if rid in targets
    }


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _rows(
    grid: calamine.CalamineSheet,
    sheet: str,
    formats: Formats,
    merges: Sequence[Merge],
    budget: Budget,
    keep_lines: bool = False,
) -> tuple[RawRow, ...]:
    """The sheet's non-blank rows; merged ranges as one cell with spans."""
    top, left = grid.start or (0, 0)
    values = grid.to_python()
    starts, covered = _merge_maps(merges, top, top + len(values) - 1, budget)
    width = max(map(len, values), default=0)
    prefixes = [f"{sheet}!{column_letters(left + j + 1)}" for j in range(width)]
    rows = []
    for i, row_values in enumerate(values):
        r = top + i
        texts = _texts(row_values, r, left, formats, keep_lines)
        row_starts, row_covered = starts.get(r, {}), covered.get(r, ())
        end = len(texts)
        while end and not texts[end - 1] and (r, left + end - 1) not in row_starts:
            end -= 1
        if not any(texts[:end]):
            continue
        line = r + 1
        number = str(line)
        cells = []
        for j in range(end):
            c = left + j
            if row_covered and any(a <= c <= b for a, b in row_covered):
                continue
            rowspan, colspan = row_starts.get((r, c), (1, 1)) if row_starts else (1, 1)
            # RawCell(...) without the frozen dataclass's per-field __setattr__ calls: this
            # runs for every cell and was most of the reading time.
            cell = _new(RawCell)
            cell.__dict__.update(
                {
                    "text": texts[j],
                    "col": c,
                    "line": line,
                    "rowspan": rowspan,
                    "colspan": colspan,
                    "ref": prefixes[j] + number,
                    "page": None,
                    "box": None,
                }
            )
            cells.append(cell)
        budget.cell(len(cells))
        rows.append(RawRow(line, tuple(cells)))
    return tuple(rows)


def _texts(
    values: Sequence[object], row: int, left: int, formats: Formats, keep_lines: bool = False
) -> list[str]:
    """The texts of one row of values (the common types first: this runs for every cell)."""
    texts = []
    for j, value in enumerate(values):
        if isinstance(value, str):
            if "\n" not in value and "\r" not in value:
                text = value
            else:
                text = _lines(value) if keep_lines else cell_text(value)
        elif value.__class__ is float or value.__class__ is int:
            assert isinstance(value, float | int)
            text = number_text(value, formats.get((row, left + j)) if formats else None)
        else:
            text = cell_text(value)
        texts.append(text)
    return texts


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _merge_maps(
    merges: Sequence[Merge], top: int, bottom: int, budget: Budget
) -> tuple[dict[int, dict[tuple[int, int], tuple[int, int]]], dict[int, list[tuple[int, int]]]]:
    """Per row: the merged ranges starting there (with spans) and the column runs covered."""
    starts: dict[int, dict[tuple[int, int], tuple[int, int]]] = {}
    covered: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, c1) in merges:
        if r1 < top or r0 > bottom or (r0 == r1 and c0 == c1):
            continue
        starts.setdefault(r0, {})[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        rows = range(max(r0, top), min(r1, bottom) + 1)
        budget.cell(len(rows))
        for r in rows:
            run = (c0 + 1, c1) if r == r0 else (c0, c1)
            if run[0] <= run[1]:
                covered.setdefault(r, []).append(run)
    return starts, covered
