"""Generated department tables rendered into .xlsx/.xls/.ods/CSV read back as the grid drawn.

``grid_generator`` draws a table (merged headers, merged project and level cells, amounts in
several styles) and ``as_raw_table`` says what a perfect reader makes of it; each renderer
writes it the way a finance office's tool would (``sheet_renderers``). The reader must give the
same cells — texts, spans, columns — and every non-empty cell's ``ref``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from generator import document_view
from grid_generator import GridSpec, as_raw_table, grid_shape, grid_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheet_renderers import RENDERERS, render_csv

from jixiao.ingest import parse_bytes
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import read_tables

SHEET_NAMES = st.text(
    st.sampled_from("预算表目标部门ABCxyz0123 _-&（）"), min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s)

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refs(table: RawTable) -> list[tuple[int, int, str]]:
    return [(c.line, c.col, c.ref) for r in table.rows for c in r.cells if not c.is_empty]


def _check(kind: str, spec: GridSpec) -> None:
    data, seen = RENDERERS[kind](spec)
    (table,) = read_tables(data, f"generated.{kind}")
    expected = as_raw_table(seen, kind)
    assert table.kind == kind
    assert table.grid
    assert grid_shape(table) == grid_shape(expected)
    assert refs(table) == refs(expected)
    if kind != "csv":
        assert table.name == spec.sheet


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
@EXAMPLES
@given(spec=grid_specs(), sheet=SHEET_NAMES)
def test_workbook_reads_back_the_grid_it_was_given(kind: str, spec: GridSpec, sheet: str) -> None:
    _check(kind, replace(spec, sheet=sheet))


@EXAMPLES
@given(spec=grid_specs())
def test_csv_reads_back_the_grid_it_was_given(spec: GridSpec) -> None:
    _check("csv", spec)


@settings(max_examples=10, deadline=None)
@given(spec=grid_specs())
def test_gbk_csv_reads_back_like_utf8(spec: GridSpec) -> None:
    utf8 = read_tables(render_csv(spec)[0], "t.csv")[0]
    gbk = read_tables(render_csv(spec, "gb18030")[0], "t.csv")[0]
    assert grid_shape(gbk) == grid_shape(utf8)


@pytest.mark.parametrize("kind", ["xls", "ods", "csv"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=grid_specs())
def test_department_table_in_every_sheet_kind_parses_to_its_truth(
    kind: str, spec: GridSpec
) -> None:
    """The whole pipeline (``test_grid_xlsx`` does .xlsx): the parse equals the drawn table."""
    data, _ = RENDERERS[kind](spec)
    result = parse_bytes(data, f"department.{kind}")
    assert document_view(result.document) == document_view(spec.document)
    assert result.document.source_kind == kind
    assert result.complete
