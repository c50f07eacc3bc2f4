"""Reconciliation: where monitoring figures, self-evaluation actuals and spending disagree.

Each check has a stable code:

* RC001 (警告) high indicator scores while little of the budget was spent — the indicators
  score at least ``full_marks_percent``% of their points but the execution rate is below
  ``low_execution_percent``% (e.g. full marks with 40% of the budget spent).
* RC002 (错误) 全年执行数 above 全年预算数.
* RC003 (错误) 全年执行数 below what the monitoring round already reported as executed.
* RC004 (警告) a cumulative indicator (a positive count of a time-proportional category, not a
  rate) whose year-end actual is lower than the value reported mid-year.
* RC005 (警告) an indicator reported mid-year as 完全不可能 to complete that scores full points.
* RC006 (提示) 全年预算数 differs from the 年初预算数 in the monitoring (a budget adjustment that
  should be on record).
* RC007 (提示) an indicator monitored mid-year that is missing from the self-evaluation, or
  the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.enums import CompletionLikelihood, Direction, Severity
from jixiao.domain.evaluation import IndicatorActual, SelfEvaluation
from jixiao.domain.monitoring import IndicatorMonitoring, ProjectMonitoring
from jixiao.domain.numbers import plain
from jixiao.scoring.classify import direction, level2_key
from jixiao.scoring.explain import EvaluationScore, pct
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import HUNDRED, ScoringProfile, load_scoring_profile


@dataclass(frozen=True)
class Discrepancy:
    code: str
    severity: Severity
    project: str
    indicator: str | None
    message: str
    evidence: dict[str, str] = field(default_factory=dict)


def _key(name: str) -> str:
    return "".join(name.split())


def _execution(ev: SelfEvaluation) -> Decimal | None:
    funds = ev.total_funds
    return funds.execution_rate if funds is not None else None


def _low_spend_high_score(
    ev: SelfEvaluation, score: EvaluationScore, profile: ScoringProfile
) -> list[Discrepancy]:
    rate = _execution(ev)
    lines = [ln for ln in score.indicator_lines if ln.points is not None]
    weight = sum((ln.weight for ln in lines), Decimal(0))
    if rate is None or weight == 0:
        return []
    share = sum((ln.points or Decimal(0) for ln in lines), Decimal(0)) / weight
    if (
        share * HUNDRED < profile.full_marks_percent
        or rate * HUNDRED >= profile.low_execution_percent
    ):
        return []
    message = (
        f"指标得分率 {pct(share)}，但预算执行率仅 {pct(rate)}："
        "产出与资金使用不匹配，请核实实际完成值"
    )
    evidence = {"指标得分率": pct(share), "预算执行率": pct(rate)}
    return [Discrepancy("RC001", Severity.WARNING, ev.project, None, message, evidence)]


def _spending(ev: SelfEvaluation, pm: ProjectMonitoring | None) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    funds = ev.total_funds
    if funds is None:
        return out
    if funds.executed > funds.budget:
        out.append(
            Discrepancy(
                "RC002",
                Severity.ERROR,
                ev.project,
                None,
                "全年执行数超过全年预算数",
                {"全年预算数": funds.budget.format(), "全年执行数": funds.executed.format()},
            )
        )
    mid = pm.total_funds if pm is not None else None
    if mid is None:
        return out
    if funds.executed < mid.executed:
        out.append(
            Discrepancy(
                "RC003",
                Severity.ERROR,
                ev.project,
                None,
                f"全年执行数少于{pm.round.label if pm else ''}监控已报执行数",
                {"监控执行数": mid.executed.format(), "全年执行数": funds.executed.format()},
            )
        )
    if funds.budget != mid.budget:
        out.append(
            Discrepancy(
                "RC006",
                Severity.INFO,
                ev.project,
                None,
                "全年预算数与监控时的年初预算数不同，请确认预算调整已履行手续",
                {"年初预算数": mid.budget.format(), "全年预算数": funds.budget.format()},
            )
        )
    return out


def _cumulative(ind: IndicatorActual, profile: ScoringProfile) -> bool:
    target = ind.target
    level2 = level2_key(ind.level2)
    return (
        target.is_quantitative
        and not target.is_percent
        and direction(target, level2) is Direction.POSITIVE
        and level2 in profile.lights.time_proportional
    )


def _indicator_pair(
    project: str,
    ind: IndicatorActual,
    mid: IndicatorMonitoring,
    full: bool,
    profile: ScoringProfile,
) -> list[Discrepancy]:
    out = []
    if (
        _cumulative(ind, profile)
        and ind.actual is not None
        and mid.actual is not None
        and ind.actual < mid.actual
    ):
        out.append(
            Discrepancy(
                "RC004",
                Severity.WARNING,
                project,
                ind.name,
                "累计类指标的年终实际值低于年中监控已报值",
                {"年中值": plain(mid.actual), "年终值": plain(ind.actual)},
            )
        )
    if mid.likelihood is CompletionLikelihood.IMPOSSIBLE and full:
        out.append(
            Discrepancy(
                "RC005",
                Severity.WARNING,
                project,
                ind.name,
                "年中监控判断“完全不可能”完成，自评却得满分，请核实",
                {"完成目标可能性": mid.likelihood.label},
            )
        )
    return out


def _indicators(
    ev: SelfEvaluation, score: EvaluationScore, pm: ProjectMonitoring, profile: ScoringProfile
) -> list[Discrepancy]:
    mids = {_key(m.name): m for m in pm.indicators}
    full = {
        _key(ln.name): ln.points == ln.weight
        for ln in score.indicator_lines
        if ln.points is not None
    }
    out: list[Discrepancy] = []
    for ind in ev.indicators:
        mid = mids.pop(_key(ind.name), None)
        if mid is None:
            out.append(
                Discrepancy(
                    "RC007", Severity.INFO, ev.project, ind.name, "自评指标在年中监控中没有对应记录"
                )
            )
            continue
        out.extend(_indicator_pair(ev.project, ind, mid, full.get(_key(ind.name), False), profile))
    out.extend(
        Discrepancy("RC007", Severity.INFO, ev.project, m.name, "年中监控的指标未出现在自评中")
        for m in mids.values()
    )
    return out


def reconcile(
    ev: SelfEvaluation,
    monitoring: ProjectMonitoring | None = None,
    profile: ScoringProfile | None = None,
    score: EvaluationScore | None = None,
) -> list[Discrepancy]:
    """Every disagreement between a project's self-evaluation, its score and its monitoring."""
    profile = profile or load_scoring_profile()
    score = score or score_evaluation(ev, profile)
    found = _low_spend_high_score(ev, score, profile) + _spending(ev, monitoring)
    if monitoring is not None:
        found += _indicators(ev, score, monitoring, profile)
    return found
