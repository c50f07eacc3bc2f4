"""Self-evaluation scores (财预〔2020〕10号; rules.md §7), every point explained.

``score_evaluation`` works in three steps:

1. **Points per row.** 预算执行率 gets the profile's budget points. Each applicable indicator
   gets its own points when the unit set points on every indicator, otherwise its level-1
   group's points (产出 50, 效益 30, 满意度 10) split equally among the group's applicable
   indicators. Not-applicable indicators and groups without any applicable indicator (e.g. no
   满意度 indicator) drop out, and the remaining points are re-scaled to 100 — over every
   part (``missing_weight = "all"``: 总分 = Σ得分 / Σ适用分值 × 100) or over the indicators only.
   Points are apportioned to the cent so that they add up to exactly 100.
2. **Score per row** (``indicator_score``; the budget rule below).
3. **Total and grade**: the sum of the rows, graded by the profile's bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.evaluation import IndicatorActual, SelfEvaluation
from jixiao.domain.numbers import plain
from jixiao.scoring.allocation import apportion
from jixiao.scoring.classify import level1_key, level2_key, short_name
from jixiao.scoring.explain import EvaluationScore, ScoreLine, ValidationIssue, pct, q2
from jixiao.scoring.indicator_score import score_points
from jixiao.scoring.weights import HUNDRED, ScoringProfile, WeightGroup, load_scoring_profile

BUDGET_LABEL = "预算执行率"
ZERO = Decimal(0)


@dataclass(frozen=True)
class _Row:
    """An indicator with its group, before points are fixed."""

    indicator: IndicatorActual
    group: WeightGroup | None


def _group_of(ind: IndicatorActual, profile: ScoringProfile) -> WeightGroup | None:
    key = level1_key(ind.level1, ind.level2)
    if key is None:
        return None
    return next((g for g in profile.groups if key in {short_name(n) for n in g.level1}), None)


def _unit_weights(rows: list[_Row]) -> bool:
    """The unit set its own points on every applicable indicator."""
    return bool(rows) and all(r.indicator.weight is not None for r in rows)


def _budget_present(ev: SelfEvaluation) -> bool:
    funds = ev.total_funds
    return funds is not None and funds.budget.fen > 0


def _parts(rows: list[_Row], profile: ScoringProfile) -> list[tuple[Decimal, list[int]]]:
    """Unscaled parts as (points, row positions): one per indicator, or one per present group."""
    if _unit_weights(rows):
        return [(r.indicator.weight or ZERO, [i]) for i, r in enumerate(rows)]
    parts = []
    for group in profile.groups:
        members = [i for i, r in enumerate(rows) if r.group is group]
        if members:
            parts.append((group.weight, members))
    return parts


def _scale(budget: Decimal, parts: list[Decimal], profile: ScoringProfile) -> list[Decimal]:
    """Budget and part points re-scaled so that they add up to 100 (see the module notes)."""
    whole = budget + sum(parts, ZERO)
    if whole in (ZERO, HUNDRED):
        return apportion(whole, [budget, *parts])
    if profile.missing_weight == "indicators" and budget > 0:
        return [budget, *apportion(HUNDRED - budget, parts)]
    return apportion(HUNDRED, [budget, *parts])


def _weights(
    ev: SelfEvaluation, rows: list[_Row], profile: ScoringProfile
) -> tuple[Decimal, list[Decimal], list[str]]:
    """Budget points and per-row points after re-scaling, with notes on what moved."""
    parts = _parts(rows, profile)
    budget = profile.budget.weight if _budget_present(ev) else ZERO
    notes = (
        []
        if _unit_weights(rows)
        else [_absent_note(g) for g in profile.groups if not any(r.group is g for r in rows)]
    )
    if not _budget_present(ev):
        notes.append("未填写全年预算数，预算执行率不计分，其分值按比例分配给各指标")
    scaled = _scale(budget, [p for p, _ in parts], profile)
    whole = budget + sum((p for p, _ in parts), ZERO)
    if whole not in (ZERO, HUNDRED):
        notes.append(f"分值合计 {plain(whole)}，按比例折算为 100（{_scale_note(budget, profile)}）")
    weights = [ZERO] * len(rows)
    for (_, members), points in zip(parts, scaled[1:], strict=True):
        for i, w in zip(members, apportion(points, [Decimal(1)] * len(members)), strict=True):
            weights[i] = w
    return scaled[0], weights, notes


def _scale_note(budget: Decimal, profile: ScoringProfile) -> str:
    if profile.missing_weight == "indicators" and budget > 0:
        return f"预算执行率 {plain(budget)} 分不变，其余按比例分配给指标"
    return "各部分同比例放大"


def _absent_note(group: WeightGroup) -> str:
    return f"无适用的{group.label}，其 {plain(group.weight)} 分按比例分配给其余部分"


def _budget_line(ev: SelfEvaluation, w: Decimal, profile: ScoringProfile) -> ScoreLine:
    funds = ev.total_funds
    rate = funds.execution_rate if funds is not None else None
    target = "100%"
    if funds is None or rate is None:
        return ScoreLine(
            "budget",
            BUDGET_LABEL,
            BUDGET_LABEL,
            target,
            "",
            w,
            None,
            "未填写全年预算数，不计分",
            "budget_missing",
        )
    actual = f"{funds.executed.format()}/{funds.budget.format()} 万元 = {pct(rate)}"
    rule = profile.budget
    if rule.mode == "proportional":
        points = q2(min(rate, Decimal(1)) * w)
        formula = f"min(执行率 {pct(rate)}, 100%) × 分值 {w}"
        return ScoreLine(
            "budget",
            BUDGET_LABEL,
            BUDGET_LABEL,
            target,
            actual,
            w,
            points,
            formula,
            "budget_proportional",
        )
    band = next(((low, share) for low, share in rule.bands if rate * 100 >= low), None)
    share = band[1] if band else ZERO
    where = f"执行率 ≥ {plain(band[0])}%" if band else f"执行率低于 {plain(rule.bands[-1][0])}%"
    formula = f"按档计分：{where}，得分值的 {plain(share)}% × {w}"
    return ScoreLine(
        "budget",
        BUDGET_LABEL,
        BUDGET_LABEL,
        target,
        actual,
        w,
        q2(w * share / HUNDRED),
        formula,
        "budget_banded",
    )


def _line(
    row: _Row,
    weight: Decimal,
    points: Decimal | None,
    formula: str,
    branch: str,
    needs: bool = False,
) -> ScoreLine:
    ind = row.indicator
    return ScoreLine(
        kind="indicator",
        name=ind.name,
        group=row.group.label if row.group else "未归类",
        target=ind.target.raw,
        actual=ind.actual_display(),
        weight=weight,
        points=points,
        formula=formula,
        branch=branch,
        level1=level1_key(ind.level1, ind.level2) or "",
        level2=level2_key(ind.level2) or "",
        needs_explanation=needs,
        explanation=ind.deviation,
    )


def _indicator_line(
    project: str, row: _Row, w: Decimal | None, profile: ScoringProfile
) -> tuple[ScoreLine, list[ValidationIssue]]:
    ind = row.indicator
    if w is None:
        why = "不适用，不计分" if ind.not_applicable else "无法归入评分类别，不计分"
        return _line(row, ZERO, None, why, "not_applicable"), []
    result = score_points(ind, w, profile)
    needs = result.points < w or result.over_completed
    issues = []
    if result.problem:
        issues.append(ValidationIssue(project, ind.name, "actual", result.problem))
    if needs and not ind.deviation.strip():
        message = "未完全达成或明显超额完成，须填写偏差原因分析及改进措施"
        issues.append(ValidationIssue(project, ind.name, "deviation", message))
    return _line(row, w, result.points, result.formula, result.branch, needs), issues


def score_evaluation(ev: SelfEvaluation, profile: ScoringProfile | None = None) -> EvaluationScore:
    """Score a project's self-evaluation; every line says how its points came about."""
    profile = profile or load_scoring_profile()
    all_rows = [_Row(i, _group_of(i, profile)) for i in ev.indicators]
    scored = [r for r in all_rows if not r.indicator.not_applicable and r.group is not None]
    budget_w, weights, notes = _weights(ev, scored, profile)
    by_row = {id(r): w for r, w in zip(scored, weights, strict=True)}
    issues = [
        ValidationIssue(
            ev.project, r.indicator.name, "level1", "无法归入产出/效益/满意度指标，未计分"
        )
        for r in all_rows
        if r.group is None and not r.indicator.not_applicable
    ]
    lines = [_budget_line(ev, budget_w, profile)]
    for row in all_rows:
        line, found = _indicator_line(ev.project, row, by_row.get(id(row)), profile)
        lines.append(line)
        issues.extend(found)
    total = sum((ln.points or ZERO for ln in lines), ZERO)
    return EvaluationScore(
        ev.project,
        profile.id,
        tuple(lines),
        total,
        profile.grade(total),
        tuple(notes),
        tuple(issues),
    )
