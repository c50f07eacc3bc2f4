"""Checking a published self-evaluation: recompute every printed score and explain each difference.

The recomputation is ``score_evaluation`` itself, with the weights the table prints (the
indicators' 分值 and the funds block's 分值 for 预算执行率), so a difference is a difference in
the score, not in the weighting. Printed figures are compared at the precision they were printed
with (a total printed as ``93`` matches 92.6 to 93.4; ``92.60`` matches 92.595 to 92.605).

Fixed codes (``shared/contracts`` §3): SC001 total ≠ Σ scores; SC002 score above its weight;
SC003 full marks for a missed target; SC004 a score that differs from the rule; SC005 execution
rate ≠ 执行数 / 预算数; SC006 budget score not following from the rate; SC007 grade outside the
total's band; SC008 points taken off with no deviation reason; SC009 a score with no actual.
Where a rule cannot be applied (a row whose actual is only text, an indicator outside the three
groups) the check says so in ``notes`` instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.domain.enums import Grade, QualitativeTier, Severity
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.numbers import plain
from jixiao.domain.provenance import Repair
from jixiao.scoring.explain import EvaluationScore, ScoreLine, q2
from jixiao.scoring.selfeval import BUDGET_LABEL, score_evaluation
from jixiao.scoring.weights import HUNDRED, ScoringProfile

ZERO = Decimal(0)
# Scoring branches for an actual that falls short of its target.
_MISSED = frozenset({"positive_under", "reverse_over", "zero_target_missed", "deadline_missed"})
# Grade words published tables use, by the first character that tells them apart.
_GRADE_WORDS = {"优": Grade.EXCELLENT, "良": Grade.GOOD, "中": Grade.FAIR, "合": Grade.FAIR}
_GRADE_WORDS |= {"及": Grade.FAIR, "差": Grade.POOR, "不": Grade.POOR}


@dataclass(frozen=True)
class CheckFinding:
    code: str
    severity: Severity
    indicator: str | None
    published: str | None
    recomputed: str | None
    message: str


@dataclass(frozen=True)
class ProjectCheck:
    project: str
    published_total: Decimal | None
    recomputed_total: Decimal | None
    findings: tuple[CheckFinding, ...]
    notes: tuple[str, ...] = ()
    score: EvaluationScore | None = field(default=None, compare=False)
    # what the reader changed to recover the checked table (the published figures as read)
    repairs: tuple[Repair, ...] = ()


def same_as_printed(printed: Decimal, value: Decimal) -> bool:
    """``value`` rounds to ``printed`` at the places ``printed`` shows (half a unit either way)."""
    exponent = printed.as_tuple().exponent
    half = Decimal(1).scaleb(int(exponent) if isinstance(exponent, int) else 0) / 2
    return abs(value - printed) <= half


def _weighted_profile(ev: SelfEvaluation, profile: ScoringProfile) -> ScoringProfile:
    """``profile`` with the budget points the table prints, when it prints them."""
    funds = ev.total_funds
    if funds is None or funds.published_weight is None:
        return profile
    return replace(profile, budget=replace(profile.budget, weight=funds.published_weight))


def _finding(
    code: str,
    severity: Severity,
    indicator: str | None,
    published: Decimal | str | None,
    recomputed: Decimal | str | None,
    message: str,
) -> CheckFinding:
    def text(v: Decimal | str | None) -> str | None:
        return plain(v) if isinstance(v, Decimal) else v

    return CheckFinding(code, severity, indicator, text(published), text(recomputed), message)


def _total(ev: SelfEvaluation) -> list[CheckFinding]:
    scores = [i.published_score for i in ev.indicators if i.published_score is not None]
    funds = ev.total_funds
    if funds is not None and funds.published_score is not None:
        scores.append(funds.published_score)
    if ev.published_total is None or not scores:
        return []
    added = sum(scores, ZERO)
    if same_as_printed(ev.published_total, added):
        return []
    return [
        _finding(
            "SC001",
            Severity.ERROR,
            None,
            ev.published_total,
            added,
            f"公布的总分 {plain(ev.published_total)} 不等于各项得分之和 {plain(added)}",
        )
    ]


def _grade(ev: SelfEvaluation, profile: ScoringProfile) -> list[CheckFinding]:
    if ev.published_total is None or not ev.published_grade:
        return []
    printed = _GRADE_WORDS.get(ev.published_grade.strip()[:1])
    expected = profile.grade(ev.published_total)
    if printed is None or printed is expected:
        return []
    return [
        _finding(
            "SC007",
            Severity.ERROR,
            None,
            ev.published_grade,
            expected.label,
            f"总分 {plain(ev.published_total)} 应评为“{expected.label}”，公布的等级是"
            f"“{ev.published_grade}”",
        )
    ]


def _budget(funds: FundsExecution, line: ScoreLine | None) -> list[CheckFinding]:
    found: list[CheckFinding] = []
    rate = funds.execution_rate
    if funds.published_rate is not None and rate is not None:
        percent = rate * HUNDRED
        if not same_as_printed(funds.published_rate, percent):
            shown = percent.quantize(Decimal("0.01"))
            found.append(
                _finding(
                    "SC005",
                    Severity.ERROR,
                    BUDGET_LABEL,
                    f"{plain(funds.published_rate)}%",
                    f"{shown}%",
                    f"执行率应为 全年执行数 {funds.executed.format()} ÷ 全年预算数 "
                    f"{funds.budget.format()} = {shown}%，公布的是 {plain(funds.published_rate)}%",
                )
            )
    score, weight = funds.published_score, funds.published_weight
    if score is not None and weight is not None and score > weight:
        found.append(_over_weight(BUDGET_LABEL, score, weight))
    if score is not None and line is not None and line.points is not None:
        points = on_printed_scale(line, weight if weight is not None else line.weight)
        if not same_as_printed(score, points):
            found.append(
                _finding(
                    "SC006",
                    Severity.ERROR,
                    BUDGET_LABEL,
                    score,
                    points,
                    f"预算执行率得分应为 {plain(points)}（{line.formula}），"
                    f"公布的是 {plain(score)}",
                )
            )
    return found


def _over_weight(name: str, score: Decimal, weight: Decimal) -> CheckFinding:
    return _finding(
        "SC002",
        Severity.ERROR,
        name,
        score,
        weight,
        f"得分 {plain(score)} 超过该项分值 {plain(weight)}",
    )


def _indicator(
    ind: IndicatorActual, line: ScoreLine, notes: list[str], profile: ScoringProfile
) -> list[CheckFinding]:
    score = ind.published_score
    if score is None:
        return []
    weight = ind.weight if ind.weight is not None else line.weight
    found: list[CheckFinding] = []
    if score > weight:
        found.append(_over_weight(ind.name, score, weight))
    if not ind.has_actual and not ind.not_applicable:
        message = f"给出了得分 {plain(score)}，但没有填写实际完成值"
        return [*found, _finding("SC009", Severity.ERROR, ind.name, score, None, message)]
    if score < weight and not ind.deviation.strip():
        message = f"得分 {plain(score)} 低于分值 {plain(weight)}，但未说明偏差原因及改进措施"
        found.append(_finding("SC008", Severity.WARNING, ind.name, score, weight, message))
    if not _checkable(line):
        notes.append(
            f"指标“{ind.name}”：{_why_not(ind, line)}，无法按规则复核得分，复核总分按公布得分计"
        )
        return found
    return found + _rule(ind, line, score, weight, profile)


def _why_not(ind: IndicatorActual, line: ScoreLine) -> str:
    if ind.not_applicable:
        return "标为不适用"
    if line.points is None:
        return "无法归入产出、效益或满意度指标"
    if line.branch == "unscorable":
        return line.formula
    return f"实际完成值“{ind.actual_text}”不是数值、日期或完成档次"


def on_printed_scale(line: ScoreLine, weight: Decimal) -> Decimal:
    """The recomputed points of ``line`` on the printed 分值 ``weight``.

    They differ only when the printed weights do not add up to 100 and the scoring re-scaled
    them (its notes say so).
    """
    points = line.points if line.points is not None else ZERO
    if line.weight in (ZERO, weight):
        return points
    return q2(points * weight / line.weight)


def _rule(
    ind: IndicatorActual, line: ScoreLine, score: Decimal, weight: Decimal, profile: ScoringProfile
) -> list[CheckFinding]:
    if line.branch == "qualitative" and ind.tier is not None and ind.tier_percent is None:
        return _tier_band(ind, ind.tier, score, weight, profile)
    points = on_printed_scale(line, weight)
    if same_as_printed(score, points):
        return []
    if score >= weight and line.branch in _MISSED:
        return [
            _finding(
                "SC003",
                Severity.ERROR,
                ind.name,
                score,
                points,
                f"实际完成 {line.actual} 未达到指标值 {line.target}，却给了满分 {plain(score)}；"
                f"按规则应得 {plain(points)}（{line.formula}）",
            )
        ]
    return [
        _finding(
            "SC004",
            Severity.ERROR if points == weight else Severity.WARNING,
            ind.name,
            score,
            points,
            f"按规则应得 {plain(points)}（{line.formula}），公布的得分是 {plain(score)}",
        )
    ]


def _tier_band(
    ind: IndicatorActual,
    tier: QualitativeTier,
    score: Decimal,
    weight: Decimal,
    profile: ScoringProfile,
) -> list[CheckFinding]:
    """A tier without a score rate allows any score inside the tier's band."""
    band = profile.qualitative[tier]
    low, high = q2(weight * band.low / HUNDRED), q2(weight * band.high / HUNDRED)
    if low <= score <= high:
        return []
    code = "SC003" if score >= weight and tier is not QualitativeTier.ACHIEVED else "SC004"
    return [
        _finding(
            code,
            Severity.ERROR,
            ind.name,
            score,
            f"{plain(low)}–{plain(high)}",
            f"完成档次为“{tier.label}”，得分应在分值的 {band.format()}"
            f"（{plain(low)}–{plain(high)}）之间，公布的得分是 {plain(score)}",
        )
    ]


def has_published_figures(ev: SelfEvaluation) -> bool:
    """Whether ``ev`` carries any figure a published table printed (a score, a rate, a total)."""
    funds = ev.total_funds
    printed = (funds.published_rate, funds.published_score) if funds is not None else ()
    return (
        ev.published_total is not None
        or ev.published_grade is not None
        or any(v is not None for v in printed)
        or any(i.published_score is not None for i in ev.indicators)
    )


def check_evaluation(ev: SelfEvaluation, profile: ScoringProfile) -> ProjectCheck:
    """Recompute ``ev`` with its printed weights and report every published figure that differs."""
    weighted = _weighted_profile(ev, profile)
    score = score_evaluation(ev, weighted)
    notes = list(score.notes)
    found = _total(ev)
    funds = ev.total_funds
    if funds is not None:
        found.extend(_budget(funds, score.budget_line))
    total = score.total
    for ind, line in zip(ev.indicators, score.indicator_lines, strict=True):
        found.extend(_indicator(ind, line, notes, weighted))
        if ind.published_score is not None and not _checkable(line):
            total += ind.published_score - (line.points or ZERO)  # kept as published
    found.extend(_grade(ev, profile))
    return ProjectCheck(
        ev.project,
        ev.published_total,
        total,
        tuple(found),
        tuple(notes),
        score,
        tuple(ev.repairs),
    )


def _checkable(line: ScoreLine) -> bool:
    return line.points is not None and line.branch not in ("missing_actual", "unscorable")
