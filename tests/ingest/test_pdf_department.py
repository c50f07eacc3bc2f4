"""Department target tables drawn into text-layer PDF over page breaks read back to the truth.

The grid generator draws a truth document and a table style; reportlab prints it on pages short
enough that rows are cut and headers repeated; the parse must recover the document exactly.
"""

from __future__ import annotations

from generator import document_view
from grid_generator import GridSpec, grid_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_render import render_grid

from jixiao.ingest import parse_tables
from jixiao.ingest.readers.pdf_text import read_pdf


# Derandomized: a fixed set of examples, the same on every run. The cases random exploration
# found are kept as explicit tests (test_pdf_text.py). Exploring at random
# still finds, about once in 1,500 examples, a table the renderer prints wrong (issue 9):
# reportlab wraps a cell cut by a page break inside a number and draws a real space there
# (``≤1132 3个`` for ``≤11323个``), so the reader reads what was printed, not what was meant.
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(grid_specs(), st.sampled_from([(842.0, 595.0), (595.0, 842.0), (842.0, 400.0)]))
def test_department_table_over_page_breaks_reads_back(
    spec: GridSpec, page: tuple[float, float]
) -> None:
    pdf = render_grid(spec.cells, spec.header_row_count, spec.lines_before, page=page)
    result = parse_tables(read_pdf(pdf, "generated.pdf"), "generated.pdf")
    assert len(result.documents) == 1
    assert document_view(result.document) == document_view(spec.document)
    assert result.complete
