"""Property: every indicator scores within 0..its points, the points add up to 100 and the
total stays within 0–100, whatever the targets, actuals and profile."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_builders import LEVEL2, evaluation, ind

from jixiao.domain.enums import QualitativeTier
from jixiao.domain.evaluation import IndicatorActual
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import load_scoring_profile

numbers = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False)
percents = st.decimals(min_value=0, max_value=100, places=1)
ops = st.sampled_from(["≥", "≤", ">", "<", "=", ""])
units = st.sampled_from(["%", "台", "万元", "次", "天"])


@st.composite
def indicators(draw: st.DrawFn) -> IndicatorActual:
    category = draw(st.sampled_from(sorted(LEVEL2)))
    target_value = draw(st.decimals(min_value=0, max_value=5000, places=1))
    target = f"{draw(ops)}{target_value}{draw(units)}"
    if draw(st.booleans()):
        target = draw(st.sampled_from(["效果明显", "显著提升", "符合要求"]))
    kind = draw(st.sampled_from(["number", "tier", "none", "na"]))
    kw: dict[str, object] = {"deviation": draw(st.sampled_from(["", "原因"]))}
    if kind == "number":
        kw["actual"] = draw(numbers)
    elif kind == "tier":
        kw["tier"] = draw(st.sampled_from(list(QualitativeTier)))
        kw["tier_percent"] = draw(st.none() | percents)
    elif kind == "na":
        kw["not_applicable"] = True
    if draw(st.booleans()):
        kw["weight"] = draw(st.decimals(min_value=0, max_value=60, places=2))
    return ind(category, "指标", target, **kw)


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(indicators(), max_size=12),
    budget=st.none() | st.decimals(min_value=0, max_value=10000, places=2).map(str),
    executed=st.decimals(min_value=0, max_value=20000, places=2).map(str),
    profile=st.sampled_from(["national", "shanxi"]),
)
def test_scores_stay_within_their_points(
    items: list[IndicatorActual], budget: str | None, executed: str, profile: str
) -> None:
    result = score_evaluation(
        evaluation(*items, budget=budget, executed=executed), load_scoring_profile(profile)
    )
    for line in result.lines:
        assert line.weight >= 0
        if line.points is not None:
            assert Decimal(0) <= line.points <= line.weight, line
    assert Decimal(0) <= result.total <= Decimal(100)
    weights = sum((ln.weight for ln in result.lines if ln.applicable), Decimal(0))
    indicator_weights = sum((ln.weight for ln in result.indicator_lines), Decimal(0))
    if indicator_weights > 0 or profile == "national":
        assert weights in (Decimal(0), Decimal(100))
    else:  # nothing to re-scale onto: the budget keeps its own 10 points
        assert weights in (Decimal(0), Decimal(10))
    assert result.total == sum((ln.points or Decimal(0) for ln in result.lines), Decimal(0))
