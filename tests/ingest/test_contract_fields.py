"""Contract §3 end to end: every field it names for a published self-evaluation, in the JSON of
``jixiao parse`` and ``jixiao check``, from a generated form (one test per field)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from form_generator import FormSpec, selfeval_specs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from page_text_render import render

from jixiao.cli import cli
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.evaluation import IndicatorActual, SelfEvaluation
from jixiao.domain.money import Money

SETTINGS = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _printed(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _wan(money: Money | None) -> str | None:
    if money is None:
        return None
    return format(money.amount(MoneyUnit.WAN_YUAN).normalize(), "f")


def _number(text: str | None) -> str | None:
    return None if text is None else format(Decimal(text).normalize(), "f")


# field → (where in a jixiao.selfeval/1 project entry, what the generated form printed)
PROJECT_FIELDS = {
    "department": lambda ev: ev.department,
    "published_total": lambda ev: _printed(ev.published_total),
    "published_grade": lambda ev: ev.published_grade,
}
FUNDS_FIELDS = {
    "initial_budget": lambda ev: _wan(ev.funds[0].initial_budget),
    "budget": lambda ev: _wan(ev.funds[0].budget),
    "executed": lambda ev: _wan(ev.funds[0].executed),
    "published_rate": lambda ev: _printed(ev.funds[0].published_rate),
    "published_weight": lambda ev: _printed(ev.funds[0].published_weight),
    "published_score": lambda ev: _printed(ev.funds[0].published_score),
}
INDICATOR_FIELDS = {
    "target": lambda i: i.target.raw,
    "actual_text": lambda i: i.actual_text,
    "actual": lambda i: _printed(i.actual),
    "weight": lambda i: _printed(i.weight),
    "published_score": lambda i: _printed(i.published_score),
    "deviation": lambda i: i.deviation or None,
}


def _full_forms() -> st.SearchStrategy[FormSpec]:
    """Forms that print every optional figure: 年初预算数 and 自评等级 included."""
    return selfeval_specs().filter(lambda s: s.style.initial_column and s.style.grade_row)


def _run(tmp: Path, spec: FormSpec, data: st.DataObject, *args: str) -> dict[str, Any]:
    path = tmp / "自评表.txt"
    path.write_text(render(spec.grid, "pipes", data.draw), encoding="utf-8")
    out = CliRunner().invoke(cli, [*args, str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    parsed: dict[str, Any] = json.loads(out.stdout)
    return parsed


@SETTINGS
@given(st.data(), _full_forms())
@pytest.mark.parametrize("field", ["format", "kind", "complete", "source_kind", "warnings"])
def test_top_level_field(tmp_path: Path, field: str, data: st.DataObject, spec: FormSpec) -> None:
    top = _run(tmp_path, spec, data, "parse")
    expected = {
        "format": "jixiao.selfeval/1",
        "kind": "self_evaluation",
        "complete": True,
        "source_kind": "page_text",
        "warnings": [],
    }
    assert top[field] == expected[field]


@SETTINGS
@given(st.data(), _full_forms())
@pytest.mark.parametrize("field", [*PROJECT_FIELDS, "repairs"])
def test_project_field(tmp_path: Path, field: str, data: st.DataObject, spec: FormSpec) -> None:
    projects = _run(tmp_path, spec, data, "parse")["projects"]
    if field == "repairs":
        assert [p[field] for p in projects] == [[] for _ in spec.evaluations]
        return
    assert [p.get(field) for p in projects] == [PROJECT_FIELDS[field](e) for e in spec.evaluations]


@SETTINGS
@given(st.data(), _full_forms())
@pytest.mark.parametrize("field", FUNDS_FIELDS)
def test_funds_field(tmp_path: Path, field: str, data: st.DataObject, spec: FormSpec) -> None:
    projects = _run(tmp_path, spec, data, "parse")["projects"]
    got = [p["funds"][0].get(field) for p in projects]
    if field in ("initial_budget", "budget", "executed"):
        got = [_number(v) for v in got]
    assert got == [FUNDS_FIELDS[field](e) for e in spec.evaluations]


def _with(ev: SelfEvaluation, field: str) -> list[int]:
    return [n for n, i in enumerate(ev.indicators) if INDICATOR_FIELDS[field](i) is not None]


@SETTINGS
@given(st.data(), _full_forms())
@pytest.mark.parametrize("field", INDICATOR_FIELDS)
def test_indicator_field(tmp_path: Path, field: str, data: st.DataObject, spec: FormSpec) -> None:
    ev = spec.evaluations[0]
    assume(_with(ev, field))
    entry = _run(tmp_path, spec, data, "parse")["projects"][0]
    indicators: list[IndicatorActual] = ev.indicators
    for n in _with(ev, field):
        got = entry["indicators"][n].get(field)
        assert got == INDICATOR_FIELDS[field](indicators[n])


CHECK_FINDING = ("code", "severity", "indicator", "published", "recomputed", "message")


@SETTINGS
@given(st.data(), _full_forms())
@pytest.mark.parametrize(
    "field",
    ["format", "project", "published_total", "recomputed_total", "findings", *CHECK_FINDING],
)
def test_check_field(tmp_path: Path, field: str, data: st.DataObject, spec: FormSpec) -> None:
    top = _run(tmp_path, spec, data, "check")
    if field == "format":
        assert top["format"] == "jixiao.check/1"
        return
    projects = top["projects"]
    assert len(projects) == len(spec.evaluations)
    if field == "project":
        assert [p["project"] for p in projects] == [e.project for e in spec.evaluations]
    elif field == "published_total":
        got = [p["published_total"] for p in projects]
        assert got == [_number(_printed(e.published_total)) for e in spec.evaluations]
    elif field == "recomputed_total":
        assert all(Decimal(p["recomputed_total"]) >= 0 for p in projects)
    elif field == "findings":
        assert all(isinstance(p["findings"], list) for p in projects)
    else:
        findings = [f for p in projects for f in p["findings"]]
        assume(findings)
        assert all(field in f for f in findings)
        if field == "code":
            assert all(f["code"][:2] in ("SC", "JX") for f in findings)
        if field == "message":
            assert all(f["message"] for f in findings)
