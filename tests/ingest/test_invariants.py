"""Properties every parse must have, checked on every golden document."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from jixiao.domain.exchange import document_to_json
from jixiao.domain.provenance import SourceRef
from jixiao.ingest import ParseResult, parse_bytes

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "document.schema.json").read_text(encoding="utf-8"))
INPUTS = sorted(p for p in (HERE / "documents").glob("*/input.*"))


@pytest.fixture(params=INPUTS, ids=lambda p: p.parent.name, scope="module")
def result(request: pytest.FixtureRequest) -> ParseResult:
    path: Path = request.param
    return parse_bytes(path.read_bytes(), path.name)


def test_output_validates_against_contract_schema(result: ParseResult) -> None:
    jsonschema.validate(document_to_json(result.document), SCHEMA)


def test_every_level2_has_a_level1(result: ParseResult) -> None:
    for project in result.document.projects:
        for indicator in project.indicators:
            if indicator.level2 is not None:
                assert indicator.level1 is not None, (project.name, indicator.name)


def test_level_codes_are_one_or_two_digits(result: ParseResult) -> None:
    for project in result.document.projects:
        for ind in project.indicators:
            assert ind.level1 is None or re.fullmatch(r"\d", ind.level1.code or "")
            assert ind.level2 is None or re.fullmatch(r"\d\d", ind.level2.code or "")


def _positions(source: SourceRef) -> tuple[int, ...]:
    """Where a part came from: text lines, or sheet rows for a workbook."""
    return source.lines or source.rows


def test_no_source_line_dropped(result: ParseResult) -> None:
    """Every non-blank line (sheet row) is in a project's source, the header area, or a
    warning."""
    accounted = set(result.furniture_lines)
    for project in result.document.projects:
        accounted.update(_positions(project.source))
    for warning in result.document.warnings:
        accounted.update(_positions(warning.source))
    text = result.table.rows
    assert {row.line for row in text} <= accounted


def test_projects_in_document_order(result: ParseResult) -> None:
    starts = [min(_positions(p.source)) for p in result.document.projects]
    assert starts == sorted(starts)
    lines = [line for p in result.document.projects for line in _positions(p.source)]
    assert len(lines) == len(set(lines)), "a line belongs to two projects"


def test_amounts_are_exact_decimals(result: ParseResult) -> None:
    for project in result.document.projects:
        for value in (project.amounts.total, project.amounts.fiscal):
            assert value is None or isinstance(value, Decimal)


def test_names_and_values_have_no_wrap_spaces(result: ParseResult) -> None:
    cjk_space = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff0-9]")
    for project in result.document.projects:
        assert not cjk_space.search(project.name)
        assert not cjk_space.search(project.goal or "")
        for ind in project.indicators:
            assert ind.name == ind.name.strip(" ,，;；:：")
            for value in (ind.period, ind.annual):
                assert value is None or value.raw == value.raw.strip(" ,，;；:：")


def test_every_repair_changes_something(result: ParseResult) -> None:
    for project in result.document.projects:
        for repair in project.repairs:
            assert repair.before != repair.after, repair
            assert repair.reason
