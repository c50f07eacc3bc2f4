"""Monitoring lights (红/黄/绿/蓝灯) for budget execution and indicator progress (rules.md §6.3).

* **Budget**: the execution rate against time progress (月份/12). Lagging by the profile's
  yellow or red gap (percentage points) gives yellow or red. A full-year forecast that leaves
  more than the yellow gap of the budget unspent gives at least yellow.
* **Positive cumulative counts** of the time-proportional categories (数量, 经济/社会/生态
  效益, 可持续影响, 满意度): progress = actual / (年度指标值 × 月份/12). Below
  ``red_below``% red, below ``yellow_below``% yellow, from ``blue_from``% blue, else green.
* **Rates** (%), in every category, are compared directly with the annual target (one rule,
  unless the profile time-proportions them too): met green, missed yellow, below
  ``red_below``% of the target red.
* **Reverse indicators** and the **质量 / 时效 / 成本** categories: green within the bound, red
  outside it — no time-proportioning.
* **Qualitative** progress: 达成 green, 部分达成 yellow, 未达成 red.
* A full-year forecast that misses the target raises the light to at least yellow; a likelihood
  of 完全不可能 makes it red.

A red or yellow light requires a deviation cause and its explanation (a validation issue
otherwise); 完全不可能 also requires corrective measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.enums import CompletionLikelihood, Direction, Light, Operator, QualitativeTier
from jixiao.domain.monitoring import FundsProgress, IndicatorMonitoring, ProjectMonitoring
from jixiao.domain.numbers import plain
from jixiao.domain.target import TargetValue
from jixiao.scoring.classify import direction, level2_key
from jixiao.scoring.explain import ValidationIssue, pct
from jixiao.scoring.weights import HUNDRED, LightRules, ScoringProfile, load_scoring_profile

SEVERITY = {Light.GREEN: 0, Light.BLUE: 1, Light.YELLOW: 2, Light.RED: 3}
TIER_LIGHT = {
    QualitativeTier.ACHIEVED: Light.GREEN,
    QualitativeTier.PARTIAL: Light.YELLOW,
    QualitativeTier.NOT_ACHIEVED: Light.RED,
}


@dataclass(frozen=True)
class LightResult:
    """A light with the figures and the rule that produced it."""

    subject: str
    light: Light | None
    reason: str
    branch: str

    @property
    def needs_reason(self) -> bool:
        return self.light in (Light.RED, Light.YELLOW)


def worse(a: LightResult, light: Light, why: str) -> LightResult:
    """``a`` raised to ``light`` when that is more severe, with the reason appended."""
    if a.light is not None and SEVERITY[light] <= SEVERITY[a.light]:
        return a
    return LightResult(a.subject, light, f"{a.reason}；{why}", a.branch)


def _band_light(ratio: Decimal, rules: LightRules) -> Light:
    percent = ratio * HUNDRED
    if percent < rules.red_below:
        return Light.RED
    if percent < rules.yellow_below:
        return Light.YELLOW
    return Light.BLUE if percent >= rules.blue_from else Light.GREEN


def budget_light(
    funds: FundsProgress, time_progress: Decimal, profile: ScoringProfile
) -> LightResult:
    rate, rules = funds.execution_rate, profile.lights
    if rate is None:
        return LightResult("预算执行", None, "年初预算数为 0，无法计算执行率", "budget_missing")
    gap = (time_progress - rate) * HUNDRED
    light = Light.GREEN
    if gap >= rules.budget_red_gap:
        light = Light.RED
    elif gap >= rules.budget_yellow_gap:
        light = Light.YELLOW
    lag = plain(gap.quantize(Decimal("0.01")))
    reason = f"执行率 {pct(rate)}，序时进度 {pct(time_progress)}，相差 {lag} 个百分点"
    result = LightResult("预算执行", light, reason, "budget_vs_time")
    expected = None if funds.forecast is None else funds.forecast.ratio_to(funds.budget)
    if expected is not None:
        if (1 - expected) * HUNDRED > rules.budget_yellow_gap:
            result = worse(result, Light.YELLOW, f"全年预计执行率仅 {pct(expected)}")
    return result


def _meets(target: TargetValue, actual: Decimal, reverse: bool) -> bool:
    t = target.value if target.value is not None else Decimal(0)
    if target.op is Operator.LT:
        return actual < t
    if target.op is Operator.GT:
        return actual > t
    if reverse or target.op is Operator.LE or (t == 0 and target.op is Operator.EQ):
        return actual <= t
    return actual >= t


def _bound_light(ind: IndicatorMonitoring, a: Decimal, reverse: bool, branch: str) -> LightResult:
    ok = _meets(ind.target, a, reverse)
    where = "在指标值范围内" if ok else "超出指标值范围"
    reason = f"实际 {plain(a)}，指标值 {ind.target.raw}，{where}（不按序时进度）"
    return LightResult(ind.name, Light.GREEN if ok else Light.RED, reason, branch)


def _progress_light(
    ind: IndicatorMonitoring, a: Decimal, time_progress: Decimal, rules: LightRules
) -> LightResult:
    t = ind.target.value or Decimal(0)
    standard = t * time_progress
    if standard <= 0:
        return _bound_light(ind, a, False, "bound")
    ratio = a / standard
    reason = (
        f"实际 {plain(a)}，序时标准 {plain(t)}×{plain(time_progress * 12)}/12，完成 {pct(ratio)}"
    )
    return LightResult(ind.name, _band_light(ratio, rules), reason, "time_proportional")


def _rate_light(ind: IndicatorMonitoring, a: Decimal, rules: LightRules) -> LightResult:
    """A rate (%) compared directly with its annual target, whatever its category: met is
    green; missed is yellow, or red below ``red_below``% of the target."""
    t = ind.target.value or Decimal(0)
    if _meets(ind.target, a, False):
        reason = f"实际 {plain(a)}%，指标值 {ind.target.raw}，已达到（比率直接比较，不按序时）"
        return LightResult(ind.name, Light.GREEN, reason, "rate")
    ratio = a / t if t > 0 else Decimal(0)
    light = Light.RED if ratio * HUNDRED < rules.red_below else Light.YELLOW
    reason = (
        f"实际 {plain(a)}%，指标值 {ind.target.raw}，未达到（为指标值的 {pct(ratio)}；"
        "比率直接比较，不按序时）"
    )
    return LightResult(ind.name, light, reason, "rate")


def _quantity_light(
    ind: IndicatorMonitoring, a: Decimal, time_progress: Decimal, rules: LightRules
) -> LightResult:
    level2 = level2_key(ind.level2)
    sense = direction(ind.target, level2)
    if sense is Direction.REVERSE:
        return _bound_light(ind, a, True, "reverse_bound")
    if ind.target.unit == "%" and not rules.proportion_rates:
        return _rate_light(ind, a, rules)
    if level2 in rules.bound_only or (level2 and level2 not in rules.time_proportional):
        return _bound_light(ind, a, False, "bound")
    return _progress_light(ind, a, time_progress, rules)


def rule_lines(profile: ScoringProfile) -> list[str]:
    """The light rules of ``profile`` in words, for the monitoring page."""
    r = profile.lights
    proportional = "、".join(r.time_proportional)
    bound = "、".join(r.bound_only)
    rates = (
        "比率（%）与累计数量一样按序时进度折算"
        if r.proportion_rates
        else (
            f"比率（%）不随时间累计，直接与年度指标值比较：达到为绿灯；未达到为黄灯，"
            f"不足指标值的 {plain(r.red_below)}% 为红灯"
        )
    )
    return [
        f"累计数量（{proportional}）按序时进度：实际 ÷（年度指标值 × 月份/12），"
        f"低于 {plain(r.red_below)}% 红灯，低于 {plain(r.yellow_below)}% 黄灯，"
        f"达到 {plain(r.blue_from)}% 及以上蓝灯（指标值可能偏低），其余绿灯。",
        rates + "。",
        f"{bound}类指标及越低越好的指标（如投诉率）：在指标值范围内为绿灯，否则红灯。",
        "定性指标：达成绿灯，部分达成黄灯，未达成红灯；全年预计不能达到指标值时至少为黄灯。",
        f"预算执行：执行率比序时进度低 {plain(r.budget_yellow_gap)} 个百分点及以上黄灯，"
        f"{plain(r.budget_red_gap)} 个百分点及以上红灯。",
    ]


def _raw_light(ind: IndicatorMonitoring, time_progress: Decimal, rules: LightRules) -> LightResult:
    if ind.actual_tier is not None:
        return LightResult(
            ind.name,
            TIER_LIGHT[ind.actual_tier],
            f"执行情况：{ind.actual_tier.label}",
            "qualitative",
        )
    if ind.actual is not None and ind.target.is_quantitative and ind.target.value is not None:
        return _quantity_light(ind, ind.actual, time_progress, rules)
    if ind.actual is not None:
        return LightResult(
            ind.name, None, "定性指标须按达成/部分达成/未达成填写执行情况", "unrated"
        )
    return LightResult(ind.name, None, "未填写执行情况", "missing")


def indicator_light(
    ind: IndicatorMonitoring, time_progress: Decimal, profile: ScoringProfile
) -> LightResult:
    result = _raw_light(ind, time_progress, profile.lights)
    if result.light is None:
        return result
    target = ind.target
    if ind.forecast is not None and target.is_quantitative and target.value is not None:
        reverse = direction(target, level2_key(ind.level2)) is Direction.REVERSE
        if not _meets(target, ind.forecast, reverse):
            result = worse(result, Light.YELLOW, f"全年预计 {plain(ind.forecast)} 未达指标值")
    if ind.likelihood is CompletionLikelihood.IMPOSSIBLE:
        result = worse(result, Light.RED, "完成目标可能性：完全不可能")
    return result


@dataclass(frozen=True)
class ProjectLights:
    project: str
    budget: LightResult | None
    indicators: tuple[LightResult, ...]
    issues: tuple[ValidationIssue, ...]


def _indicator_issues(
    project: str, ind: IndicatorMonitoring, lit: LightResult
) -> list[ValidationIssue]:
    issues = []
    if lit.light is None:
        issues.append(ValidationIssue(project, ind.name, "actual", lit.reason))
    if lit.needs_reason and not ind.has_deviation_reason:
        message = f"{lit.light.label if lit.light else ''}：须勾选偏差原因类别并填写偏差原因分析"
        issues.append(ValidationIssue(project, ind.name, "causes", message))
    if ind.likelihood is CompletionLikelihood.IMPOSSIBLE and not ind.measures.strip():
        issues.append(
            ValidationIssue(project, ind.name, "measures", "预计无法完成，须填写改进措施")
        )
    return issues


def monitor_project(pm: ProjectMonitoring, profile: ScoringProfile | None = None) -> ProjectLights:
    """Every light of a project's monitoring record, and what must still be explained."""
    profile = profile or load_scoring_profile()
    progress = pm.round.time_progress
    funds = pm.total_funds
    budget = budget_light(funds, progress, profile) if funds is not None else None
    issues: list[ValidationIssue] = []
    if budget is not None and budget.needs_reason and not pm.budget_deviation.strip():
        issues.append(
            ValidationIssue(
                pm.project,
                None,
                "budget_deviation",
                f"预算执行{budget.light.label if budget.light else ''}：须说明执行偏差原因",
            )
        )
    lights = []
    for ind in pm.indicators:
        lit = indicator_light(ind, progress, profile)
        lights.append(lit)
        issues.extend(_indicator_issues(pm.project, ind, lit))
    return ProjectLights(pm.project, budget, tuple(lights), tuple(issues))
