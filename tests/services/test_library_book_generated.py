"""Generated library workbooks import exactly what they say.

Hypothesis writes a workbook of random indicators: a random subset of the columns in random
order, each header under a random synonym, an optional title above, blank rows between, texts
with line breaks and formula-like starts, 推荐 in its usual spellings. Importing it creates one
entry per row with exactly those values; a second random workbook over the same indicators
changes exactly the curated columns it has.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World
from jixiao.db.models import LibraryEntry
from jixiao.domain.enums import Direction, Role
from jixiao.domain.library import name_key
from jixiao.domain.library_book import LABELS, SYNONYMS, BookColumn
from jixiao.services.library.book import apply_book, entry_keys, preview_book
from jixiao.services.principal import Principal

LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "满意度指标"]
CJK = "培训人次资金到位率覆盖面满意度完成及时验收合格档案规范执行"
TEXT = st.text(alphabet=CJK + "ab12%≥=+-@（）、， \n", max_size=30).map(str.strip)
WORD = st.text(alphabet=CJK, min_size=1, max_size=4)
YES = {"是": True, "√": True, "Y": True, "否": False, "": False, "N": False}
DIRECTIONS = {"正向": Direction.POSITIVE, "反向": Direction.REVERSE, "定性": Direction.NEUTRAL}
OPTIONAL = [c for c in BookColumn if c not in (BookColumn.NAME, BookColumn.LEVEL2)]
SEPARATORS = ["、", "，", ";", "\n"]
DESCRIPTIVE = {"level1_name", "unit", "direction"}
# columns in order, their header labels, title rows above, data rows followed by a blank row
Layout = tuple[list[BookColumn], list[str], int, frozenset[int]]


@dataclass(frozen=True)
class Row:
    values: dict[BookColumn, str]  # as written in the cell
    expected: dict[str, Any]  # the entry's fields after the import


@st.composite
def rows(draw: st.DrawFn, keys: list[tuple[str, str]] | None = None) -> list[Row]:
    """Random indicators, or new values for the (name, level-2) pairs ``keys``."""
    if keys is None:
        names = draw(
            st.lists(
                st.text(alphabet=CJK, min_size=2, max_size=8),
                min_size=1,
                max_size=8,
                unique_by=name_key,
            )
        )
        keys = [(name, draw(st.sampled_from(LEVEL2))) for name in names]
    return [draw(row(name, level2)) for name, level2 in keys]


@st.composite
def row(draw: st.DrawFn, name: str, level2: str) -> Row:
    texts = {c: draw(TEXT) for c in (BookColumn.EXPLANATION, BookColumn.SCORING, BookColumn.BASIS)}
    reference = draw(TEXT.map(lambda t: t.replace("\n", "")))
    yes = draw(st.sampled_from(sorted(YES)))
    direction = draw(st.sampled_from(sorted(DIRECTIONS)))
    sectors = draw(st.lists(WORD, max_size=3, unique=True))
    unit = draw(st.sampled_from(["", "人次", "%", "万元", "天"]))
    values = {
        BookColumn.LEVEL1: draw(st.sampled_from(["产出指标", "效益指标", "满意度指标"])),
        BookColumn.LEVEL2: level2,
        BookColumn.NAME: name,
        BookColumn.REFERENCE: reference,
        BookColumn.RECOMMENDED: yes,
        BookColumn.DIRECTION: direction,
        BookColumn.SECTORS: draw(st.sampled_from(SEPARATORS)).join(sectors),
        BookColumn.UNIT: unit,
        BookColumn.COUNT: "7",
        BookColumn.TYPICAL: "12.5",
        BookColumn.MET_RATE: "80",
        **texts,
    }
    expected = {
        "name": name,
        "level1_name": values[BookColumn.LEVEL1],
        "level2_name": level2,
        "unit": unit or None,
        "direction": DIRECTIONS[direction],
        "explanation": texts[BookColumn.EXPLANATION] or None,
        "scoring": texts[BookColumn.SCORING] or None,
        "basis": texts[BookColumn.BASIS] or None,
        "reference_value": reference or None,
        "recommended": YES[yes],
        "sectors": sectors,
    }
    return Row(values, expected)


COLUMN_FIELDS = {
    BookColumn.LEVEL1: "level1_name",
    BookColumn.UNIT: "unit",
    BookColumn.DIRECTION: "direction",
    BookColumn.EXPLANATION: "explanation",
    BookColumn.SCORING: "scoring",
    BookColumn.BASIS: "basis",
    BookColumn.REFERENCE: "reference_value",
    BookColumn.RECOMMENDED: "recommended",
    BookColumn.SECTORS: "sectors",
}
DEFAULTS = {
    "level1_name": None,
    "unit": None,
    "direction": Direction.NEUTRAL,
    "explanation": None,
    "scoring": None,
    "basis": None,
    "reference_value": None,
    "recommended": False,
    "sectors": [],
}


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    columns = draw(st.permutations([BookColumn.NAME, BookColumn.LEVEL2, *optional]))
    labels = [draw(st.sampled_from([LABELS[c], *SYNONYMS[c]])) for c in columns]
    title = draw(st.integers(0, 2))
    blanks = frozenset(draw(st.lists(st.integers(0, 8), max_size=3)))
    return list(columns), labels, title, blanks


def workbook(layout: Layout, data: list[Row]) -> bytes:
    columns, labels, title, blanks = layout
    lines: list[list[str]] = [["指标库"]] * title + [labels]
    for i, r in enumerate(data):
        lines.append([r.values[c] for c in columns])
        if i in blanks:
            lines.append([])
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for n, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            if value:
                cell = ws.cell(row=n, column=c, value=value)
                cell.data_type = "s"  # text stays text, "=…" included
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@contextmanager
def rolled_back(session: Session) -> Iterator[None]:
    """Each example on a clean library: its writes are undone afterwards."""
    nested = session.begin_nested()
    try:
        yield
    finally:
        nested.rollback()


def stored(session: Session, r: Row) -> dict[str, Any]:
    key = entry_keys(r.expected["name"], r.expected["level2_name"])
    entry = session.scalar(
        select(LibraryEntry).where(
            LibraryEntry.name_key == key[0], LibraryEntry.level2_key == key[1]
        )
    )
    assert entry is not None
    return {
        field: list(entry.sectors or []) if field == "sectors" else getattr(entry, field)
        for field in ("name", "level2_name", *DEFAULTS)
    }


def expected_new(r: Row, columns: list[BookColumn]) -> dict[str, Any]:
    present = {COLUMN_FIELDS[c] for c in columns if c in COLUMN_FIELDS}
    out = {"name": r.expected["name"], "level2_name": r.expected["level2_name"]}
    for field, default in DEFAULTS.items():
        out[field] = r.expected[field] if field in present else default
    return out


@pytest.fixture
def admin(session: Session) -> Principal:
    return World(session).actor(Role.ADMIN)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts(), data=rows())
def test_a_generated_workbook_imports_exactly_what_was_written(
    session: Session, admin: Principal, layout: Layout, data: list[Row]
) -> None:
    with rolled_back(session):
        book = workbook(layout, data)
        preview = preview_book(session, admin, book, "g.xlsx")
        assert preview.refused == []
        assert [c.name for c in preview.new] == [r.expected["name"] for r in data]
        result = apply_book(session, admin, book, "g.xlsx", preview.token)
        assert (result.created, result.updated) == (len(data), 0)
        for r in data:
            assert stored(session, r) == expected_new(r, layout[0])
        again = preview_book(session, admin, book, "g.xlsx")
        assert (again.new, again.updated, again.unchanged) == ([], [], len(data))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=rows(), st_data=st.data())
def test_a_second_workbook_changes_exactly_its_curated_columns(
    session: Session, admin: Principal, first: list[Row], st_data: st.DataObject
) -> None:
    every = list(BookColumn)
    with rolled_back(session):
        book = workbook((every, [LABELS[c] for c in every], 0, frozenset()), first)
        token = preview_book(session, admin, book, "1.xlsx").token
        apply_book(session, admin, book, "1.xlsx", token)
        keys = [(r.expected["name"], r.expected["level2_name"]) for r in first]
        second = st_data.draw(rows(keys))
        layout = st_data.draw(layouts())
        book = workbook(layout, second)
        preview = preview_book(session, admin, book, "2.xlsx")
        assert (preview.new, preview.refused) == ([], [])
        apply_book(session, admin, book, "2.xlsx", preview.token)
        curated = {COLUMN_FIELDS[c] for c in layout[0] if c in COLUMN_FIELDS} - DESCRIPTIVE
        for old, new in zip(first, second, strict=True):
            want = {f: (new if f in curated else old).expected[f] for f in DEFAULTS}
            want |= {"name": old.expected["name"], "level2_name": old.expected["level2_name"]}
            assert stored(session, new) == want
