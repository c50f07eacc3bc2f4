"""Self-evaluation scoring: one hand-worked example per branch (rules.md §7.4).

Unless a test says otherwise there is one indicator in each of the three groups, so the points
are 预算执行率 10, the output indicator 50, the benefit indicator 30 and satisfaction 10.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from scoring_builders import D, evaluation, ind

from jixiao.domain.enums import Grade, QualitativeTier
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import load_scoring_profile

BENEFIT = ind("社会效益", "群众知晓率", "≥80%", actual=D("80"))
SATISFACTION = ind("满意度", "服务对象满意度", "≥90%", actual=D("95"))


def score_of(output, **kw):  # type: ignore[no-untyped-def]
    result = score_evaluation(evaluation(output, BENEFIT, SATISFACTION, **kw))
    return result, result.indicator_lines[0]


def test_positive_met_scores_full_points() -> None:
    _, line = score_of(ind("数量", "更新车辆台数", "2台", actual=D("2")))
    assert (line.weight, line.points, line.branch) == (D("50"), D("50"), "positive_met")
    assert not line.needs_explanation


def test_positive_under_scores_in_proportion() -> None:
    # 1500 / 1800 × 50 = 41.666… → 41.67
    result, line = score_of(
        ind("数量", "智慧电梯", "1800台", actual=D("1500"), deviation="设备到货延迟")
    )
    assert line.points == D("41.67")
    assert line.branch == "positive_under"
    assert "1500/1800×50" in line.formula
    assert line.needs_explanation
    assert result.total == D("91.67")
    assert result.grade is Grade.EXCELLENT


def test_positive_under_without_explanation_is_an_issue() -> None:
    result, _ = score_of(ind("数量", "智慧电梯", "1800台", actual=D("1500")))
    assert [(i.indicator, i.field) for i in result.issues] == [("智慧电梯", "deviation")]


def test_negative_actual_on_positive_target_scores_zero() -> None:
    _, line = score_of(ind("数量", "专利案件增长率", "≥1%", actual=D("-2"), deviation="案源减少"))
    assert line.points == D("0.00")


def test_reverse_met_scores_full_points() -> None:
    _, line = score_of(ind("时效", "平均响应时间", "≤5分钟", actual=D("3")))
    assert (line.points, line.branch) == (D("50"), "reverse_met")


def test_reverse_over_scores_target_over_actual() -> None:
    # 5 / 8 × 50 = 31.25
    _, line = score_of(ind("时效", "平均响应时间", "≤5分钟", actual=D("8"), deviation="人手不足"))
    assert (line.points, line.branch) == (D("31.25"), "reverse_over")
    assert "5/8×50" in line.formula


def test_bare_number_under_cost_is_reverse() -> None:
    # 150 / 160 × 50 = 46.875 → 46.88
    _, line = score_of(ind("成本", "项目成本", "150万元", actual=D("160"), deviation="材料涨价"))
    assert (line.points, line.branch) == (D("46.88"), "reverse_over")


def test_equal_target_outside_cost_counts_as_positive() -> None:
    _, line = score_of(ind("质量", "验收通过率", "=100%", actual=D("100")))
    assert (line.points, line.branch) == (D("50"), "positive_met")
    _, line = score_of(ind("质量", "验收通过率", "=100%", actual=D("90"), deviation="一批返工"))
    assert line.points == D("45.00")


def test_zero_target_met_and_missed() -> None:
    _, met = score_of(ind("质量", "工作任务出错率", "0%", actual=D("0")))
    assert (met.points, met.branch) == (D("50"), "zero_target_met")
    _, missed = score_of(ind("质量", "重大事故次数", "0", actual=D("1"), deviation="一起事故"))
    assert (missed.points, missed.branch) == (D("0.00"), "zero_target_missed")


def test_over_completion_deducts_and_requires_explanation() -> None:
    # 3000 / 1800 = 166.67% > 150%: 50 − 10% × 50 = 45
    result, line = score_of(ind("数量", "违规事件识别数", "≥1800条", actual=D("3000")))
    assert (line.points, line.branch) == (D("45.00"), "over_completion")
    assert line.needs_explanation
    assert [i.field for i in result.issues] == ["deviation"]


def test_over_completion_threshold_comes_from_the_profile() -> None:
    # 130% is under the national 150% but over the stricter profile's 120% (deduct 20%).
    output = ind("数量", "查询次数", "≥1000次", actual=D("1300"), deviation="需求增长")
    national = score_evaluation(evaluation(output, BENEFIT, SATISFACTION))
    strict = score_evaluation(
        evaluation(output, BENEFIT, SATISFACTION), load_scoring_profile("shanxi")
    )
    assert national.indicator_lines[0].points == D("50")
    assert strict.indicator_lines[0].points == D("40.00")


@pytest.mark.parametrize(
    ("tier", "percent", "expected"),
    [
        (QualitativeTier.ACHIEVED, None, D("50")),  # band top by default
        (QualitativeTier.ACHIEVED, D("90"), D("45.00")),
        (QualitativeTier.PARTIAL, D("70"), D("35.00")),
        (QualitativeTier.PARTIAL, None, D("30.00")),  # band bottom by default
        (QualitativeTier.NOT_ACHIEVED, D("20"), D("10.00")),
    ],
)
def test_qualitative_tiers_score_inside_their_band(
    tier: QualitativeTier, percent: Decimal | None, expected: Decimal
) -> None:
    _, line = score_of(
        ind(
            "质量",
            "执法办案合法性",
            "符合法律法规的要求",
            tier=tier,
            tier_percent=percent,
            deviation="说明",
        )
    )
    assert (line.points, line.branch) == (expected, "qualitative")


def test_qualitative_percent_outside_band_is_clamped_and_reported() -> None:
    result, line = score_of(
        ind(
            "质量",
            "执法办案合法性",
            "符合要求",
            tier=QualitativeTier.PARTIAL,
            tier_percent=D("95"),
            deviation="说明",
        )
    )
    assert line.points == D("40.00")  # the partial band's top, 80% × 50
    assert [i.field for i in result.issues] == ["actual"]


def test_number_on_qualitative_target_cannot_be_scored() -> None:
    result, line = score_of(ind("质量", "执法办案合法性", "符合要求", actual=D("100")))
    assert (line.points, line.branch) == (D("0"), "unscorable")
    assert {i.field for i in result.issues} == {"actual", "deviation"}


def test_deadline_met_and_missed() -> None:
    from datetime import date

    from jixiao.domain.enums import TargetKind
    from jixiao.domain.target import TargetValue

    deadline = TargetValue("2023年12月31日前", TargetKind.DEADLINE, deadline=date(2023, 12, 31))
    on_time = ind("时效", "项目完成时间", "x", actual_date=date(2023, 11, 30))
    late = ind("时效", "项目完成时间", "x", actual_date=date(2024, 1, 15), deviation="延期")
    for indicator, points, branch in (
        (on_time, D("50"), "deadline_met"),
        (late, D("0.00"), "deadline_missed"),
    ):
        object.__setattr__(indicator, "target", deadline)
        _, line = score_of(indicator)
        assert (line.points, line.branch) == (points, branch)


def test_missing_actual_scores_zero_and_is_reported() -> None:
    result, line = score_of(ind("数量", "台数", "2台"))
    assert (line.points, line.branch) == (D("0"), "missing_actual")
    assert {i.field for i in result.issues} == {"actual", "deviation"}


def test_not_applicable_indicator_hands_its_points_to_its_group() -> None:
    result = score_evaluation(
        evaluation(
            ind("数量", "台数", "2台", actual=D("2")),
            ind("质量", "验收率", "100%", not_applicable=True),
            BENEFIT,
            SATISFACTION,
        )
    )
    counted, skipped = result.indicator_lines[:2]
    assert (counted.weight, counted.points) == (D("50"), D("50"))
    assert (skipped.weight, skipped.points, skipped.branch) == (D("0"), None, "not_applicable")
    assert result.total == D("100")


def test_missing_satisfaction_rescales_every_part_to_100() -> None:
    # Budget 10 + output 50 + benefit 30 = 90 → × 100/90: 11.11, 55.56, 33.33.
    result = score_evaluation(
        evaluation(ind("数量", "台数", "2台", actual=D("2")), BENEFIT, executed="50")
    )
    assert [ln.weight for ln in result.lines] == [D("11.11"), D("55.56"), D("33.33")]
    assert result.budget_line is not None
    assert result.budget_line.points == D("5.56")  # 50% × 11.11 = 5.555 → 5.56
    assert result.total == D("94.45")
    assert any("满意度指标" in note for note in result.notes)


def test_missing_satisfaction_rescales_indicators_only_in_the_strict_profile() -> None:
    result = score_evaluation(
        evaluation(ind("数量", "台数", "2台", actual=D("2")), BENEFIT),
        load_scoring_profile("shanxi"),
    )
    assert [ln.weight for ln in result.lines] == [D("10"), D("56.25"), D("33.75")]
    assert result.total == D("100")


def test_group_points_are_split_to_the_cent_and_add_up() -> None:
    outputs = [ind("数量", f"指标{i}", "1个", actual=D("1")) for i in range(3)]
    result = score_evaluation(evaluation(*outputs, BENEFIT, SATISFACTION))
    assert [ln.weight for ln in result.indicator_lines[:3]] == [D("16.67"), D("16.67"), D("16.66")]
    assert result.total == D("100.00")


def test_unit_set_points_are_used_as_given() -> None:
    result = score_evaluation(
        evaluation(
            ind("数量", "台数", "2台", actual=D("1"), weight=D("60"), deviation="只到一台"),
            ind("满意度", "满意度", "≥90%", actual=D("90"), weight=D("30")),
        )
    )
    assert [ln.weight for ln in result.indicator_lines] == [D("60"), D("30")]
    assert result.total == D("10") + D("30.00") + D("30")
    assert result.notes == ()


def test_budget_proportional_is_capped_at_full_points() -> None:
    out = ind("数量", "台数", "2台", actual=D("2"))
    over = score_evaluation(evaluation(out, BENEFIT, SATISFACTION, executed="120"))
    assert over.budget_line is not None
    assert over.budget_line.points == D("10.00")
    low = score_evaluation(evaluation(out, BENEFIT, SATISFACTION, executed="40"))
    assert low.budget_line is not None
    assert low.budget_line.points == D("4.00")
    assert low.total == D("94.00")


@pytest.mark.parametrize(
    ("executed", "points"),
    [("96", "10.00"), ("95", "10.00"), ("92", "8.00"), ("85", "6.00"), ("60", "3.00"), ("59", "0")],
)
def test_budget_banded_mode(executed: str, points: str) -> None:
    out = ind("数量", "台数", "2台", actual=D("2"))
    result = score_evaluation(
        evaluation(out, BENEFIT, SATISFACTION, executed=executed), load_scoring_profile("shanxi")
    )
    assert result.budget_line is not None
    assert result.budget_line.points == D(points)
    assert result.budget_line.branch == "budget_banded"


def test_no_budget_figures_gives_the_budget_points_to_the_indicators() -> None:
    result = score_evaluation(
        evaluation(ind("数量", "台数", "2台", actual=D("2")), BENEFIT, SATISFACTION, budget=None)
    )
    assert result.budget_line is not None
    assert result.budget_line.points is None
    assert [ln.weight for ln in result.indicator_lines] == [D("55.56"), D("33.33"), D("11.11")]
    assert result.total == D("100.00")


def test_indicator_without_a_known_category_is_reported_not_scored() -> None:
    from jixiao.domain.evaluation import IndicatorActual
    from jixiao.domain.target import parse_target

    stray = IndicatorActual("无归属指标", parse_target("100%"), actual=D("100"))
    result = score_evaluation(evaluation(stray, ind("数量", "台数", "2台", actual=D("2"))))
    assert result.indicator_lines[0].points is None
    assert [i.field for i in result.issues] == ["level1"]


@pytest.mark.parametrize(
    ("executed", "grade"),
    [("100", Grade.EXCELLENT), ("0", Grade.EXCELLENT)],
)
def test_grade_bands(executed: str, grade: Grade) -> None:
    result = score_evaluation(
        evaluation(
            ind("数量", "台数", "2台", actual=D("2")), BENEFIT, SATISFACTION, executed=executed
        )
    )
    assert result.grade is grade  # 100 and 90 are both 优


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.99", Grade.FAIR),
        ("60", Grade.FAIR),
        ("59.99", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_grade_boundaries(total: str, grade: Grade) -> None:
    assert load_scoring_profile().grade(D(total)) is grade


def test_explanation_text_names_every_line() -> None:
    result, _ = score_of(ind("数量", "智慧电梯", "1800台", actual=D("1500"), deviation="到货延迟"))
    text = result.explain()
    for piece in ("预算执行率", "智慧电梯", "1500/1800×50", "总分 91.67", "等级 优"):
        assert piece in text
