"""Reconciliation of monitoring, self-evaluation actuals and spending."""

from __future__ import annotations

from scoring_builders import D, evaluation, ind, mon, monitoring

from jixiao.domain.enums import CompletionLikelihood, Severity
from jixiao.scoring.reconcile import reconcile

OUTPUT = ind("数量", "抽检批次", "1200批次", actual=D("1200"))
SATISFACTION = ind("满意度", "满意度", "≥90%", actual=D("95"))


def codes(found) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.code for d in found]


def test_full_marks_with_forty_percent_spent() -> None:
    found = reconcile(evaluation(OUTPUT, SATISFACTION, executed="40"))
    assert codes(found) == ["RC001"]
    assert found[0].severity is Severity.WARNING
    assert found[0].evidence == {"指标得分率": "100.00%", "预算执行率": "40.00%"}


def test_full_marks_with_most_of_the_budget_spent_is_fine() -> None:
    assert reconcile(evaluation(OUTPUT, SATISFACTION, executed="60")) == []


def test_spending_above_budget() -> None:
    assert codes(reconcile(evaluation(OUTPUT, executed="101"))) == ["RC002"]


def test_year_end_spending_below_mid_year_spending() -> None:
    found = reconcile(
        evaluation(OUTPUT, executed="75", budget="120"),
        monitoring(mon("数量", "抽检批次", "1200批次", actual=D("700")), executed="80"),
    )
    assert codes(found) == ["RC003"]
    assert found[0].severity is Severity.ERROR


def test_cumulative_actual_lower_than_mid_year() -> None:
    ev = evaluation(
        ind("数量", "抽检批次", "1200批次", actual=D("650"), deviation="x"), budget="120"
    )
    pm = monitoring(mon("数量", "抽检批次", "1200批次", actual=D("700")))
    found = reconcile(ev, pm)
    assert codes(found) == ["RC004"]
    assert found[0].indicator == "抽检批次"
    assert found[0].evidence == {"年中值": "700", "年终值": "650"}


def test_a_rate_may_fall_after_mid_year() -> None:
    ev = evaluation(ind("满意度", "满意度", "≥90%", actual=D("92")), budget="120")
    pm = monitoring(mon("满意度", "满意度", "≥90%", actual=D("95")))
    assert reconcile(ev, pm) == []


def test_impossible_mid_year_but_full_marks() -> None:
    pm = monitoring(
        mon(
            "数量",
            "抽检批次",
            "1200批次",
            actual=D("300"),
            likelihood=CompletionLikelihood.IMPOSSIBLE,
        )
    )
    assert codes(reconcile(evaluation(OUTPUT, budget="120", executed="120"), pm)) == ["RC005"]


def test_budget_changed_since_monitoring_and_unmatched_indicators() -> None:
    pm = monitoring(mon("数量", "另一指标", "10个", actual=D("5")), budget="100")
    found = reconcile(evaluation(OUTPUT, budget="120", executed="120"), pm)
    assert sorted(codes(found)) == ["RC006", "RC007", "RC007"]
