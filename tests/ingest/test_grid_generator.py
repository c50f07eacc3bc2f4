"""The grid generator draws well-formed grids: no overlapping merges, every truth value in a
cell, and ``as_raw_table`` follows the RawTable contract (spans at top-left, nothing covered)."""

from __future__ import annotations

from grid_generator import (
    GridSpec,
    amount_text,
    as_raw_table,
    column_letter,
    grid_shape,
    grid_specs,
)
from hypothesis import HealthCheck, given, settings

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _positions(spec: GridSpec) -> list[tuple[int, int]]:
    return [
        (r, k)
        for c in spec.cells
        for r in range(c.row, c.row + c.rowspan)
        for k in range(c.col, c.col + c.colspan)
    ]


@SETTINGS
@given(grid_specs())
def test_merges_do_not_overlap(spec: GridSpec) -> None:
    positions = _positions(spec)
    assert len(positions) == len(set(positions))


@SETTINGS
@given(grid_specs())
def test_every_truth_value_is_in_a_cell(spec: GridSpec) -> None:
    texts = "\n".join(c.text for c in spec.cells)
    for project in spec.document.projects:
        assert project.name in texts
        assert project.goal is not None
        assert project.goal in texts
        assert amount_text(project.amounts.total, spec.style) in texts
        for ind in project.indicators:
            assert ind.name in texts
    assert len(spec.project_rows) == len(spec.document.projects)


@SETTINGS
@given(grid_specs())
def test_raw_table_keeps_spans_and_refs(spec: GridSpec) -> None:
    table = as_raw_table(spec, "xlsx")
    assert table.grid
    assert table.width == spec.width
    merged = {(c.row, c.col): c for c in spec.cells if c.rowspan > 1 or c.colspan > 1}
    first = len(spec.lines_before) + 1
    for row in table.rows:
        for cell in row.cells:
            assert cell.ref == f"Sheet1!{column_letter(cell.col)}{cell.line}"
            spec_cell = merged.get((cell.line - first, cell.col))
            if spec_cell is not None:
                assert (cell.rowspan, cell.colspan) == (spec_cell.rowspan, spec_cell.colspan)
    csv = as_raw_table(spec, "csv")
    assert all(c.rowspan == c.colspan == 1 for r in csv.rows for c in r.cells)
    assert [len(r) for r in grid_shape(csv)][: len(spec.lines_before)] == [1] * len(
        spec.lines_before
    )


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A", "C", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip
