"""Monitoring lights, one hand-worked example per branch (rules.md §6.3), 1–7月 round."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_builders import D, mon, monitoring

from jixiao.domain.enums import CompletionLikelihood, DeviationCause, Light, QualitativeTier
from jixiao.domain.monitoring import MonitoringRound
from jixiao.errors import InvalidValue
from jixiao.scoring.lights import monitor_project
from jixiao.scoring.weights import load_scoring_profile

EXPLAINED = {"causes": frozenset({DeviationCause.FUNDING}), "cause_note": "资金晚到位"}


def light_of(indicator, profile: str = "national"):  # type: ignore[no-untyped-def]
    result = monitor_project(monitoring(indicator), load_scoring_profile(profile))
    return result.indicators[0]


@pytest.mark.parametrize(
    ("actual", "light"),
    [
        # standard = 1200 × 7/12 = 700
        ("419", Light.RED),  # 59.86%
        ("420", Light.YELLOW),  # 60%
        ("559", Light.YELLOW),  # 79.86%
        ("560", Light.GREEN),  # 80%
        ("839", Light.GREEN),  # 119.86%
        ("840", Light.BLUE),  # 120%
    ],
)
def test_positive_count_against_time_proportional_standard(actual: str, light: Light) -> None:
    result = light_of(mon("数量", "抽检批次", "1200批次", actual=D(actual)))
    assert (result.light, result.branch) == (light, "time_proportional")
    assert "序时标准 1200×7/12" in result.reason


@pytest.mark.parametrize(
    ("actual", "light"),
    [("95", Light.GREEN), ("90", Light.YELLOW), ("57.1", Light.YELLOW), ("56.9", Light.RED)],
)
def test_rates_compare_directly_with_the_annual_target(actual: str, light: Light) -> None:
    result = light_of(mon("满意度", "满意度", "≥95%", actual=D(actual)))
    assert (result.light, result.branch) == (light, "rate")
    assert "比率直接比较" in result.reason


def test_issue_14_one_rule_for_rates_whatever_the_category() -> None:
    """≥95% with 90 achieved was green, green and red by category; now one light."""
    lights = {
        category: light_of(mon(category, f"{category}达标率", "≥95%", actual=D("90"))).light
        for category in ("数量", "满意度", "质量")
    }
    assert set(lights.values()) == {Light.YELLOW}, lights


def test_rates_are_time_proportioned_in_the_strict_profile() -> None:
    # 88 / (90 × 7/12 = 52.5) = 167.62% → blue (the target may be set too low)
    result = light_of(mon("满意度", "满意度", "≥90%", actual=D("88")), "shanxi")
    assert (result.light, result.branch) == (Light.BLUE, "time_proportional")


@pytest.mark.parametrize(
    ("actual", "light"), [("4", Light.GREEN), ("5", Light.GREEN), ("6", Light.RED)]
)
def test_reverse_indicator_is_a_bound(actual: str, light: Light) -> None:
    result = light_of(mon("数量", "业务退件率", "≤5%", actual=D(actual)))
    assert (result.light, result.branch) == (light, "reverse_bound")


@pytest.mark.parametrize(
    ("category", "target", "actual", "light"),
    [
        ("质量", "≥3次", "3", Light.GREEN),
        ("质量", "≥3次", "2", Light.RED),  # no time-proportioning for quality
        ("时效", "≤5分钟", "6", Light.RED),
        ("成本", "150万元", "80", Light.GREEN),  # = on cost is a ceiling
        ("成本", "150万元", "151", Light.RED),
    ],
)
def test_quality_time_and_cost_are_bounds(
    category: str, target: str, actual: str, light: Light
) -> None:
    result = light_of(mon(category, "指标", target, actual=D(actual)))
    assert result.light is light
    assert result.branch in ("bound", "reverse_bound")


def test_zero_target_count() -> None:
    assert light_of(mon("社会效益", "重大事故次数", "0", actual=D("0"))).light is Light.GREEN
    assert light_of(mon("社会效益", "重大事故次数", "0", actual=D("1"))).light is Light.RED


@pytest.mark.parametrize(
    ("tier", "light"),
    [
        (QualitativeTier.ACHIEVED, Light.GREEN),
        (QualitativeTier.PARTIAL, Light.YELLOW),
        (QualitativeTier.NOT_ACHIEVED, Light.RED),
    ],
)
def test_qualitative_progress(tier: QualitativeTier, light: Light) -> None:
    result = light_of(mon("社会效益", "营商环境", "效果明显", actual_tier=tier))
    assert (result.light, result.branch) == (light, "qualitative")


def test_forecast_below_target_raises_green_to_yellow() -> None:
    result = light_of(mon("数量", "抽检批次", "1200批次", actual=D("700"), forecast=D("1100")))
    assert result.light is Light.YELLOW
    assert "全年预计 1100" in result.reason


def test_impossible_likelihood_is_red() -> None:
    result = light_of(
        mon(
            "数量",
            "抽检批次",
            "1200批次",
            actual=D("700"),
            likelihood=CompletionLikelihood.IMPOSSIBLE,
        )
    )
    assert result.light is Light.RED


def test_missing_value_gives_no_light_and_an_issue() -> None:
    result = monitor_project(monitoring(mon("数量", "抽检批次", "1200批次")))
    assert result.indicators[0].light is None
    assert [i.field for i in result.issues] == ["actual"]


def test_number_on_qualitative_target_gives_no_light() -> None:
    result = monitor_project(monitoring(mon("社会效益", "营商环境", "效果明显", actual=D("3"))))
    assert result.indicators[0].light is None


def test_red_and_yellow_require_deviation_reasons() -> None:
    bare = monitor_project(monitoring(mon("数量", "抽检批次", "1200批次", actual=D("100"))))
    assert [i.field for i in bare.issues] == ["causes"]
    explained = monitor_project(
        monitoring(mon("数量", "抽检批次", "1200批次", actual=D("100"), **EXPLAINED))
    )
    assert explained.issues == ()


def test_impossible_requires_measures() -> None:
    result = monitor_project(
        monitoring(
            mon(
                "数量",
                "抽检批次",
                "1200批次",
                actual=D("100"),
                likelihood=CompletionLikelihood.IMPOSSIBLE,
                **EXPLAINED,
            )
        )
    )
    assert [i.field for i in result.issues] == ["measures"]


@pytest.mark.parametrize(
    ("executed", "light"),
    [
        # time progress 7/12 = 58.33%; budget 120
        ("70", Light.GREEN),  # 58.33%, gap 0
        ("58.01", Light.GREEN),  # 48.34%: gap 9.99 pp
        ("58", Light.YELLOW),  # 48.33%: gap 10 pp
        ("46", Light.RED),  # 38.33%: gap 20 pp
    ],
)
def test_budget_execution_against_time_progress(executed: str, light: Light) -> None:
    result = monitor_project(monitoring(executed=executed, budget_deviation="采购延后"))
    assert result.budget is not None
    assert result.budget.light is light


def test_budget_gap_thresholds_come_from_the_profile() -> None:
    # gap 6.66 pp: green nationally, yellow in the stricter profile (5 pp)
    pm = monitoring(executed="62", budget_deviation="采购延后")
    assert monitor_project(pm).budget.light is Light.GREEN  # type: ignore[union-attr]
    strict = monitor_project(pm, load_scoring_profile("shanxi"))
    assert strict.budget.light is Light.YELLOW  # type: ignore[union-attr]


def test_budget_forecast_leaving_money_unspent_is_yellow() -> None:
    result = monitor_project(monitoring(executed="70", forecast="100", budget_deviation="结余"))
    assert result.budget.light is Light.YELLOW  # type: ignore[union-attr]
    assert "全年预计执行率仅 83.33%" in result.budget.reason  # type: ignore[union-attr]


def test_lagging_budget_requires_an_explanation() -> None:
    result = monitor_project(monitoring(executed="40"))
    assert [i.field for i in result.issues] == ["budget_deviation"]


def test_round_labels_and_validation() -> None:
    assert MonitoringRound(2023, 7).label == "1–7月"
    assert MonitoringRound(2023, 7).time_progress == Decimal(7) / Decimal(12)
    with pytest.raises(InvalidValue):
        MonitoringRound(2023, 13)


PROGRESS = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.BLUE: 3}


@settings(max_examples=200, deadline=None)
@given(
    target=st.integers(min_value=1, max_value=100000),
    month=st.integers(min_value=1, max_value=12),
    actuals=st.lists(st.integers(min_value=0, max_value=200000), min_size=2, max_size=2),
    profile=st.sampled_from(["national", "shanxi"]),
)
def test_more_progress_never_gives_a_worse_light(
    target: int, month: int, actuals: list[int], profile: str
) -> None:
    low, high = sorted(actuals)
    lights = []
    for actual in (low, high):
        pm = monitoring(mon("数量", "批次", f"{target}批次", actual=D(str(actual))), month=month)
        result = monitor_project(pm, load_scoring_profile(profile)).indicators[0]
        assert result.light is not None
        lights.append(PROGRESS[result.light])
    assert lights[0] <= lights[1]
    reverse = [
        monitor_project(
            monitoring(mon("时效", "时长", f"≤{target}天", actual=D(str(a))))
        ).indicators[0]
        for a in (low, high)
    ]
    assert not (reverse[0].light is Light.RED and reverse[1].light is Light.GREEN)
