"""Load the rule test cases in ``tests/review/cases/<RULE-ID>.toml`` into Documents.

A case is a small document: one or more projects, each indicator written compactly as
``"1-产出指标|11-数量指标|培训人次|≥500人次|≥500人次"`` (level 1 | level 2 | name | 实施周期值 |
年度值; an empty field is absent) or as a table with the same keys plus ``basis`` and the
evidence a stored project would bring: ``last_year = {year, target, actual, unit}`` and
``peers = {unit, count, p25, median, p75}``. ``expect`` is the exact number of findings of the
case's rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.review.evidence import Benchmark, LastYear, PeerSpread

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_GOAL = "为辖区企业开展合规培训服务，提升企业依法经营水平。"


@dataclass
class Case:
    rule: str
    name: str
    expect: int
    document: Document
    profile: str | None = None
    indicators: list[str] = field(default_factory=list)
    benchmarks: dict[tuple[int, int], Benchmark] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.name}"


def _level(text: str) -> LevelRef | None:
    if not text:
        return None
    code, sep, name = text.partition("-")
    if sep and code.isdigit():
        return LevelRef(code, name or None)
    return LevelRef(None, text)


def _target(text: str | None) -> Any:
    return None if text is None or text == "" else parse_target(text)


def _indicator(spec: str | dict[str, Any]) -> Indicator:
    if isinstance(spec, str):
        parts = [*spec.split("|"), "", "", "", "", ""][:5]
        spec = dict(zip(("l1", "l2", "name", "period", "annual"), parts, strict=True))
    return Indicator(
        name=spec.get("name", ""),
        level1=_level(spec.get("l1", "")),
        level2=_level(spec.get("l2", "")),
        period=_target(spec.get("period")),
        annual=_target(spec.get("annual")),
        basis=spec.get("basis"),
        explanation=spec.get("explanation"),
    )


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _project(spec: dict[str, Any]) -> Project:
    return Project(
        name=spec.get("name", "测试项目"),
        amounts=Amounts(
            _dec(spec.get("total")),
            _dec(spec.get("fiscal")),
            _dec(spec.get("special")),
            _dec(spec.get("other")),
        ),
        goal=spec.get("goal", DEFAULT_GOAL),
        annual_goal=spec.get("annual_goal"),
        indicators=[_indicator(i) for i in spec.get("indicators", [])],
    )


def _benchmark(spec: dict[str, Any]) -> Benchmark | None:
    last, peers = spec.get("last_year"), spec.get("peers")
    if last is None and peers is None:
        return None
    return Benchmark(
        last_year=None
        if last is None
        else LastYear(int(last["year"]), last["target"], Decimal(last["actual"]), last.get("unit")),
        peers=None
        if peers is None
        else PeerSpread(
            peers.get("unit"),
            int(peers["count"]),
            Decimal(peers["p25"]),
            Decimal(peers["median"]),
            Decimal(peers["p75"]),
        ),
    )


def _benchmarks(projects: list[dict[str, Any]]) -> dict[tuple[int, int], Benchmark]:
    found = {}
    for p, project in enumerate(projects):
        for i, spec in enumerate(project.get("indicators", [])):
            bench = _benchmark(spec) if isinstance(spec, dict) else None
            if bench is not None:
                found[(p, i)] = bench
    return found


def _case(rule: str, spec: dict[str, Any]) -> Case:
    doc = Document(
        projects=[_project(p) for p in spec["projects"]],
        unit=MoneyUnit(spec.get("unit", "万元")),
        year=spec.get("year"),
    )
    profile = spec.get("profile")
    if profile and profile.endswith(".toml"):
        profile = str(Path(__file__).parent / profile)
    return Case(
        rule,
        spec["name"],
        int(spec["expect"]),
        doc,
        profile,
        list(spec.get("indicators", [])),
        _benchmarks(spec["projects"]),
    )


def load_cases(path: Path) -> list[Case]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [_case(data["rule"], spec) for spec in data["cases"]]


def all_cases() -> list[Case]:
    return [case for path in sorted(CASES_DIR.glob("*.toml")) for case in load_cases(path)]
