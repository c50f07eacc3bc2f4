"""The department grid layout reads every generated table style back to its truth.

grid_generator draws a truth document and a table style; ``as_raw_table`` gives the grid a
perfect reader makes of it; the layout must recover the document exactly (amounts, goal,
indicator levels, names and values), keep the 合计 row out of the projects and warn when the
projects do not add up to it, and name each project's cells.
"""

from __future__ import annotations

from generator import document_view
from grid_generator import GridSpec, as_raw_table, grid_specs
from hypothesis import HealthCheck, given, settings

from jixiao.ingest import parse_tables

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(spec: GridSpec, kind: str = "xlsx"):  # type: ignore[no-untyped-def]
    return parse_tables((as_raw_table(spec, kind),), f"generated.{kind}")


@SETTINGS
@given(grid_specs())
def test_grid_round_trip(spec: GridSpec) -> None:
    result = _parse(spec)
    assert len(result.documents) == 1
    assert document_view(result.document) == document_view(spec.document)
    assert result.complete
    assert result.document.source_kind == "xlsx"


@SETTINGS
@given(grid_specs())
def test_grid_round_trip_without_merges(spec: GridSpec) -> None:
    """CSV cannot merge: covered positions are blank, and the layout reads it the same."""
    result = _parse(spec, "csv")
    assert document_view(result.document) == document_view(spec.document)


@SETTINGS
@given(grid_specs())
def test_total_row_is_a_cross_check(spec: GridSpec) -> None:
    doc = _parse(spec).document
    codes = [w.code for w in doc.warnings]
    expected = 0 if spec.total_row is None or spec.total_matches else 1
    assert codes.count("total_mismatch") == expected
    assert "unplaced_text" not in codes


@SETTINGS
@given(grid_specs())
def test_each_project_names_its_cells(spec: GridSpec) -> None:
    doc = _parse(spec).document
    first = len(spec.lines_before) + 1
    for project, rows in zip(doc.projects, spec.project_rows, strict=True):
        assert project.source.sheet == "Sheet1"
        assert set(project.source.rows) <= {first + r for r in rows}
        name_refs = [ref for ref in project.source.cells if ref.endswith(str(first + rows[0]))]
        assert name_refs, project.source.cells
