"""Checking published self-evaluations: SC001–SC009, each planted error found by its own code.

The clean tables are generated with their scores computed here by the plain 10号 formula for a
positive target (实际值/指标值 × 分值, capped at the 分值; budget min(执行率, 100%) × 分值), not
by the code under test; each error class is then planted into one copy.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.enums import MoneyUnit, QualitativeTier
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.monitoring import BudgetLine
from jixiao.domain.target import parse_target
from jixiao.scoring.check import check_evaluation, same_as_printed
from jixiao.scoring.formats import SELFEVAL_FORMAT, selfeval_entry, selfeval_from_data
from jixiao.scoring.weights import load_scoring_profile

PROFILE = load_scoring_profile()
CENT = Decimal("0.01")
GROUPS = [
    (LevelRef("1", "产出指标"), LevelRef("11", "数量指标")),
    (LevelRef("2", "效益指标"), LevelRef("22", "社会效益")),
    (LevelRef("3", "满意度指标"), LevelRef("31", "服务对象满意度")),
]
WEIGHTS = [Decimal(50), Decimal(30), Decimal(10)]


def _points(actual: int, target: int, weight: Decimal) -> Decimal:
    return min(Decimal(actual) / Decimal(target) * weight, weight).quantize(CENT, ROUND_HALF_UP)


def _grade(total: Decimal) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


@st.composite
def clean(draw: st.DrawFn) -> SelfEvaluation:
    indicators = []
    for i, ((l1, l2), weight) in enumerate(zip(GROUPS, WEIGHTS, strict=True)):
        target = draw(st.integers(10, 900))
        # up to 150% of the target: beyond it the profile takes points off for over-completion
        actual = draw(st.integers(1, target * 3 // 2))
        points = _points(actual, target, weight)
        indicators.append(
            IndicatorActual(
                f"指标{i}",
                parse_target(f"≥{target}个"),
                l1,
                l2,
                actual=Decimal(actual),
                weight=weight,
                published_score=points,
                deviation="" if points == weight else "受施工进度影响未完成，下年加快推进。",
            )
        )
    budget = draw(st.integers(10_000, 9_000_000))
    executed = draw(st.integers(0, budget))
    rate = Decimal(executed) / Decimal(budget)
    budget_score = (rate * 10).quantize(CENT, ROUND_HALF_UP)
    funds = FundsExecution(
        BudgetLine.TOTAL,
        Money.of(Decimal(budget) / 100, MoneyUnit.WAN_YUAN),
        Money.of(Decimal(executed) / 100, MoneyUnit.WAN_YUAN),
        published_rate=(rate * 100).quantize(CENT, ROUND_HALF_UP),
        published_weight=Decimal(10),
        published_score=budget_score,
    )
    total = budget_score + sum((i.published_score or Decimal(0) for i in indicators), Decimal(0))
    return SelfEvaluation(
        "生成的项目",
        funds=[funds],
        indicators=indicators,
        published_total=total,
        published_grade=_grade(total),
    )


def _codes(ev: SelfEvaluation) -> set[str]:
    return {f.code for f in check_evaluation(ev, PROFILE).findings}


def _with_indicator(ev: SelfEvaluation, index: int, **changes: object) -> SelfEvaluation:
    indicators = list(ev.indicators)
    indicators[index] = replace(indicators[index], **changes)  # type: ignore[arg-type]
    return replace(ev, indicators=indicators)


@settings(max_examples=60, deadline=None)
@given(clean())
def test_a_correct_table_raises_nothing_and_recomputes_its_total(ev: SelfEvaluation) -> None:
    result = check_evaluation(ev, PROFILE)
    assert result.findings == ()
    assert result.recomputed_total == ev.published_total


@settings(max_examples=40, deadline=None)
@given(clean(), st.sampled_from(["SC001", "SC005", "SC006", "SC007", "SC009"]))
def test_each_planted_error_is_found_by_its_code(ev: SelfEvaluation, code: str) -> None:
    funds = ev.funds[0]
    assert ev.published_total is not None
    assert funds.published_rate is not None
    if code == "SC001":
        planted = replace(ev, published_total=ev.published_total + 3)
    elif code == "SC005":
        planted = replace(ev, funds=[replace(funds, published_rate=funds.published_rate + 5)])
    elif code == "SC006":
        score = (funds.published_score or Decimal(0)) - Decimal("0.5")
        planted = replace(ev, funds=[replace(funds, published_score=score)])
        planted = replace(planted, published_total=ev.published_total - Decimal("0.5"))
    elif code == "SC007":
        wrong = "差" if ev.published_grade != "差" else "优"
        planted = replace(ev, published_grade=wrong)
    else:
        planted = _with_indicator(ev, 0, actual=None)
    codes = _codes(planted)
    assert code in codes
    if code != "SC006":  # a wrong budget score changes nothing else
        assert codes <= {code, "SC007"}


def test_full_marks_for_a_missed_target_is_sc003() -> None:
    ev = _evaluation(actual="400", target="≥500人次", weight="50", score="50")
    [finding] = check_evaluation(ev, PROFILE).findings
    assert (finding.code, finding.published, finding.recomputed) == ("SC003", "50", "40")
    assert "400人次 未达到指标值 ≥500人次" in finding.message


def test_a_reduced_score_for_a_met_target_is_sc004_and_sc008_without_reason() -> None:
    ev = _evaluation(actual="95", target="≥90%", weight="10", score="7")
    found = {f.code: f for f in check_evaluation(ev, PROFILE).findings}
    assert set(found) == {"SC004", "SC008"}
    assert (found["SC004"].published, found["SC004"].recomputed) == ("7", "10")
    with_reason = _evaluation(actual="95", target="≥90%", weight="10", score="7", deviation="x")
    assert _codes(with_reason) == {"SC004"}


def test_over_completion_has_its_deduction_and_is_not_called_a_miss() -> None:
    ev = _evaluation(actual="160", target="≥100个", weight="50", score="50", deviation="x")
    [finding] = check_evaluation(ev, PROFILE).findings
    assert (finding.code, finding.recomputed) == ("SC004", "45")
    assert "超额" in finding.message


@pytest.mark.parametrize(
    ("tier", "score", "codes"),
    [("partial", "7", set()), ("partial", "10", {"SC003"}), ("achieved", "5", {"SC004"})],
)
def test_a_tier_without_rate_allows_its_band(tier: str, score: str, codes: set[str]) -> None:
    base = _evaluation(actual=None, target="效果明显", weight="10", score=score, deviation="x")
    ev = _with_indicator(base, 0, tier=QualitativeTier(tier))
    assert _codes(ev) == codes


def test_a_score_above_its_weight_is_sc002() -> None:
    ev = _evaluation(actual="95", target="≥90%", weight="10", score="12")
    assert "SC002" in _codes(ev)


def test_a_text_actual_is_not_guessed_but_said() -> None:
    ev = replace(
        _evaluation(actual=None, target="效果明显", weight="10", score="8", deviation="x"),
        indicators=[
            replace(
                _evaluation(actual=None, target="效果明显", weight="10", score="8").indicators[0],
                actual_text="效果较好",
                deviation="仍有差距",
            )
        ],
    )
    result = check_evaluation(ev, PROFILE)
    assert result.findings == ()
    assert any("效果较好" in n and "无法按规则复核" in n for n in result.notes)


@pytest.mark.parametrize(
    ("printed", "value", "same"),
    [
        ("93", "92.6", True),
        ("93", "92.4", False),
        ("92.60", "92.604", True),
        ("92.6", "92.7", False),
    ],
)
def test_printed_figures_compare_at_their_own_precision(
    printed: str, value: str, same: bool
) -> None:
    assert same_as_printed(Decimal(printed), Decimal(value)) is same


def _evaluation(
    *, actual: str | None, target: str, weight: str, score: str, deviation: str = ""
) -> SelfEvaluation:
    indicator = IndicatorActual(
        "培训人次",
        parse_target(target),
        LevelRef("1", "产出指标"),
        LevelRef("11", "数量指标"),
        actual=None if actual is None else Decimal(actual),
        weight=Decimal(weight),
        published_score=Decimal(score),
        deviation=deviation,
    )
    return SelfEvaluation("培训项目", indicators=[indicator])


@settings(max_examples=30, deadline=None)
@given(clean())
def test_published_figures_survive_the_selfeval_format(ev: SelfEvaluation) -> None:
    data = {"format": SELFEVAL_FORMAT, "unit": "万元", "projects": [selfeval_entry(ev)]}
    [back] = selfeval_from_data(json.loads(json.dumps(data)))
    assert back.published_total == ev.published_total
    assert back.published_grade == ev.published_grade
    assert [i.published_score for i in back.indicators] == [
        i.published_score for i in ev.indicators
    ]
    funds, printed = back.funds[0], ev.funds[0]
    assert (funds.published_rate, funds.published_weight, funds.published_score) == (
        printed.published_rate,
        printed.published_weight,
        printed.published_score,
    )
    assert str(funds.published_rate) == str(printed.published_rate)  # places kept: 90.00
