"""Round trip: the exported department 目标表 as PDF reads back through the PDF reader."""

from __future__ import annotations

from export_fixtures import in_official_order, sample_document
from test_roundtrip import content

from jixiao.export import render, target_sheets
from jixiao.ingest import parse_bytes


def test_the_exported_pdf_reads_back_exactly() -> None:
    """``jixiao export --table targets --format pdf`` of the sample reads back unchanged
    (regression: a 、 hanging past the right rule at a line end was lost)."""
    doc = sample_document()
    result = parse_bytes(render(target_sheets(doc), "pdf"), "baiyun.pdf")
    assert content(result.document) == content(in_official_order(doc))
    assert result.document.source_kind == "pdf_text"
