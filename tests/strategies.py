"""Hypothesis strategies for domain projects as a reader could produce them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from jixiao.domain.enums import Operator, TargetKind
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.provenance import SourceRef
from jixiao.domain.target import TargetValue

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)
money = st.decimals(min_value=0, max_value=Decimal("99999999"), places=6, allow_nan=False)
exact = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)

quantitative = st.builds(
    TargetValue,
    raw=texts,
    kind=st.just(TargetKind.QUANTITATIVE),
    op=st.sampled_from(list(Operator)),
    value=exact,
    unit=st.none() | st.sampled_from(["%", "天", "台", "万元", "次/季度"]),
)
deadline = st.builds(
    TargetValue,
    raw=texts,
    kind=st.just(TargetKind.DEADLINE),
    deadline=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
qualitative = st.builds(TargetValue, raw=texts, kind=st.just(TargetKind.QUALITATIVE))
targets = st.none() | quantitative | deadline | qualitative
levels = st.none() | st.builds(LevelRef, st.none() | st.sampled_from(["1", "11", "22"]), texts)
sources = st.builds(
    SourceRef,
    lines=st.lists(st.integers(1, 5000), max_size=3).map(tuple),
    raw_text=st.none() | texts,
)
indicators = st.builds(
    Indicator,
    name=texts,
    level1=levels,
    level2=levels,
    period=targets,
    annual=targets,
    source=sources,
    explanation=st.none() | texts,
    basis=st.none() | texts,
    weight=st.none() | st.integers(0, 100),
)
projects = st.builds(
    Project,
    name=texts,
    amounts=st.builds(
        Amounts,
        total=st.none() | money,
        fiscal=st.none() | money,
        special=st.none() | money,
        other=st.none() | money,
    ),
    goal=st.none() | texts,
    indicators=st.lists(indicators, max_size=6),
    source=sources,
    code=st.none() | st.text(alphabet="0123456789", min_size=1, max_size=12),
    unit_name=st.none() | texts,
    annual_goal=st.none() | texts,
)
