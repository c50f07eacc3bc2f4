"""Scoring one indicator of a self-evaluation (财预〔2020〕10号; rules.md §7.4).

Let ``w`` be the indicator's points, ``T`` the annual target and ``A`` the actual:

* 正向 (≥ > =): ``A ≥ T`` → ``w``; otherwise ``w × A / T`` (0 when A ≤ 0). When ``A / T``
  exceeds the profile's over-completion threshold, a share of ``w`` is deducted.
* 反向 (≤ <, and = on cost categories): ``A ≤ T`` → ``w``; otherwise ``w × T / A``.
* 指标值为 0 (= ≤ < 0): ``A = 0`` → ``w``; otherwise the profile's miss share of ``w``.
* 时限: finished on or before the deadline → ``w``; later → the profile's miss share.
* 定性: the tier's band of ``w``; the evaluator's percentage must lie inside it (达成 defaults to
  the band top, the partial tiers to the band bottom when no percentage is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.enums import Direction, Operator, QualitativeTier, TargetKind
from jixiao.domain.evaluation import IndicatorActual
from jixiao.domain.numbers import plain
from jixiao.scoring.classify import direction, level2_key
from jixiao.scoring.explain import pct, q2
from jixiao.scoring.weights import HUNDRED, ScoringProfile

ZERO = Decimal(0)


@dataclass(frozen=True)
class Points:
    """The outcome of one scoring branch before it becomes a ScoreLine."""

    points: Decimal
    formula: str
    branch: str
    over_completed: bool = False
    problem: str | None = None


def _clamp(points: Decimal, w: Decimal) -> Decimal:
    return min(max(q2(points), ZERO), w)


def _positive(a: Decimal, t: Decimal, w: Decimal, profile: ScoringProfile) -> Points:
    if a >= t:
        if t > 0 and a / t > profile.over_threshold:
            cut = q2(w * profile.over_deduction_percent / HUNDRED)
            return Points(
                _clamp(w - cut, w),
                f"正向超额完成：实际/指标值 = {pct(a / t)} > {pct(profile.over_threshold)}，"
                f"扣分值的 {plain(profile.over_deduction_percent)}%：{w} − {cut}",
                "over_completion",
                over_completed=True,
            )
        return Points(w, f"正向：实际值 {plain(a)} ≥ 指标值 {plain(t)}，得满分", "positive_met")
    if t <= 0:
        return Points(
            ZERO, f"正向：实际值 {plain(a)} < 指标值 {plain(t)}，无法按比例计分", "positive_under"
        )
    ratio = max(a, ZERO) / t
    return Points(
        _clamp(w * ratio, w),
        f"正向：实际值/指标值×分值 = {plain(a)}/{plain(t)}×{w}",
        "positive_under",
    )


def _reverse(a: Decimal, t: Decimal, w: Decimal) -> Points:
    if a <= t:
        return Points(w, f"反向：实际值 {plain(a)} ≤ 指标值 {plain(t)}，得满分", "reverse_met")
    if t <= 0:
        return Points(ZERO, f"反向：实际值 {plain(a)} > 指标值 {plain(t)}，得 0 分", "reverse_over")
    return Points(
        _clamp(w * t / a, w),
        f"反向：指标值/实际值×分值 = {plain(t)}/{plain(a)}×{w}",
        "reverse_over",
    )


def _zero_target(a: Decimal, w: Decimal, profile: ScoringProfile) -> Points:
    if a == 0:
        return Points(w, "指标值为 0：实际值为 0，得满分", "zero_target_met")
    share = profile.zero_target_miss_percent
    return Points(
        _clamp(w * share / HUNDRED, w),
        f"指标值为 0：实际值 {plain(a)} ≠ 0，得分值的 {plain(share)}%",
        "zero_target_missed",
    )


def _quantitative(ind: IndicatorActual, a: Decimal, w: Decimal, p: ScoringProfile) -> Points:
    target = ind.target
    if target.kind is not TargetKind.QUANTITATIVE or target.value is None:
        return Points(
            ZERO,
            "定性指标填写了数值，无法按比例计分",
            "unscorable",
            problem="定性指标的实际完成情况须按“达成/部分达成/未达成”填写",
        )
    t = target.value
    if t == 0 and target.op in (None, Operator.EQ, Operator.LE, Operator.LT):
        return _zero_target(a, w, p)
    if direction(target, level2_key(ind.level2)) is Direction.REVERSE:
        return _reverse(a, t, w)
    return _positive(a, t, w, p)


def _deadline(ind: IndicatorActual, w: Decimal, p: ScoringProfile) -> Points:
    deadline, done = ind.target.deadline, ind.actual_date
    if deadline is None or done is None:
        return Points(ZERO, "时限指标缺少时限或完成日期", "unscorable", problem="须填写完成日期")
    if done <= deadline:
        return Points(w, f"时限：{done} 完成，不晚于 {deadline}，得满分", "deadline_met")
    share = p.deadline_miss_percent
    return Points(
        _clamp(w * share / HUNDRED, w),
        f"时限：{done} 完成，晚于 {deadline}，得分值的 {plain(share)}%",
        "deadline_missed",
    )


def _qualitative(
    ind: IndicatorActual, tier: QualitativeTier, w: Decimal, p: ScoringProfile
) -> Points:
    band = p.qualitative[tier]
    problem = None
    if ind.tier_percent is None:
        share = band.high if tier is QualitativeTier.ACHIEVED else band.low
        how = "未给出档内得分率，按档位" + ("上限" if tier is QualitativeTier.ACHIEVED else "下限")
    elif band.contains(ind.tier_percent):
        share, how = ind.tier_percent, "档内得分率"
    else:
        share = min(max(ind.tier_percent, band.low), band.high)
        how = f"得分率 {plain(ind.tier_percent)}% 超出档位，按档位边界"
        problem = f"“{tier.label}”的得分率须在 {band.format()} 之间"
    return Points(
        _clamp(w * share / HUNDRED, w),
        f"定性（{tier.label}，档位 {band.format()}）：{how} {plain(share)}% × {w}",
        "qualitative",
        problem=problem,
    )


def score_points(ind: IndicatorActual, w: Decimal, profile: ScoringProfile) -> Points:
    """Score one applicable indicator with points ``w`` (branch chosen by the actual given)."""
    if ind.tier is not None:
        return _qualitative(ind, ind.tier, w, profile)
    if ind.actual is not None:
        return _quantitative(ind, ind.actual, w, profile)
    if ind.actual_date is not None:
        return _deadline(ind, w, profile)
    return Points(ZERO, "未填写实际完成值，得 0 分", "missing_actual", problem="须填写实际完成值")
