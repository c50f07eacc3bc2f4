"""Rules that weigh a target against evidence from outside the table (passed in, never read
here): last year's actual result of the same indicator, and how peers set it."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.enums import Operator, ReviewDimension, Severity, TargetKind
from jixiao.domain.numbers import plain
from jixiao.domain.target import TargetValue
from jixiao.review.context import IndicatorFacts, ProjectFacts, RuleContext
from jixiao.review.evidence import LastYear, PeerSpread
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import (
    DOWNWARD,
    HUNDRED,
    UPWARD,
    expected_direction,
    name_of,
    percent_value,
)
from jixiao.review.text import compact


def _target(ind: IndicatorFacts) -> tuple[str, TargetValue] | None:
    """The annual target (else the period one) when it is a number with an operator."""
    for label, tv in reversed(ind.targets):
        if tv.kind is TargetKind.QUANTITATIVE and tv.value is not None and tv.op is not None:
            return label, tv
    return None


def _direction(ind: IndicatorFacts, tv: TargetValue, ctx: RuleContext) -> str | None:
    """ "higher" or "lower" is better: by the name's words, else by the operator (≥ or ≤)."""
    named = expected_direction(ind, ctx)
    if named is not None:
        return named[0]
    if tv.op in UPWARD:
        return "higher"
    return "lower" if tv.op in DOWNWARD else None


def _unit(text: str | None) -> str:
    return compact(text or "").replace("％", "%")


def _at_limit(tv: TargetValue, direction: str) -> bool:
    """100% can rise no further, and nothing falls below 0: such a target is never easy."""
    assert tv.value is not None
    if direction == "higher":
        percent = percent_value(tv)
        return percent is not None and percent >= HUNDRED
    return tv.value <= 0


def _not_beyond(tv: TargetValue, bound: Decimal, direction: str) -> bool:
    """The target asks for no more than ``bound`` (higher is better), or no less (lower)."""
    assert tv.value is not None
    if direction == "higher":
        return tv.value < bound or (tv.value == bound and tv.op is not Operator.GT)
    return tv.value > bound or (tv.value == bound and tv.op is not Operator.LT)


def _last_year_note(tv: TargetValue, last: LastYear, direction: str) -> str | None:
    if _unit(last.unit) != _unit(tv.unit) or not _not_beyond(tv, last.actual, direction):
        return None
    relation = "不高于" if direction == "higher" else "不低于"
    return f"{relation}上年（{last.year}年）实际完成值 {plain(last.actual)}{last.unit or ''}"


def _peer_note(tv: TargetValue, peers: PeerSpread, direction: str, least: int) -> str | None:
    if peers.count < least or _unit(peers.unit) != _unit(tv.unit):
        return None
    assert tv.value is not None
    unit = peers.unit or ""
    if direction == "higher" and tv.value < peers.p25:
        return f"低于 {peers.count} 个同类目标的下四分位数 {plain(peers.p25)}{unit}"
    if direction == "lower" and tv.value > peers.p75:
        return f"高于 {peers.count} 个同类目标的上四分位数 {plain(peers.p75)}{unit}"
    return None


def _evidence(
    label: str, tv: TargetValue, last: LastYear | None, peers: PeerSpread | None, notes: list[str]
) -> dict[str, str]:
    out = {label: tv.raw}
    if last is not None and any("上年" in n for n in notes):
        out["上年指标值"] = last.target
        out["上年实际完成值"] = f"{plain(last.actual)}{last.unit or ''}"
    if peers is not None and any("同类" in n for n in notes):
        unit = peers.unit or ""
        out["同类目标数"] = str(peers.count)
        out["同类下四分位数"] = f"{plain(peers.p25)}{unit}"
        out["同类中位数"] = f"{plain(peers.median)}{unit}"
        out["同类上四分位数"] = f"{plain(peers.p75)}{unit}"
    return out


@rule(
    id="JX041",
    title="目标低于上年实际或同类水平",
    severity=Severity.WARNING,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.INDICATOR,
    rationale=(
        "88号要求目标“合理可行”、经过测算；目标不高于上年已经达到的水平（反向指标不低于），"
        "或明显低于同类项目的通常目标，完成没有难度，也看不出改进（rules.md §3.2）。"
    ),
    suggestion=(
        "参照上年实际完成值和同类项目的目标重新测算：越高越好的指标不低于上年实际，"
        "越低越好的不高于上年实际；确需下调的，在“设定依据”中写明原因。"
    ),
)
def easy_target(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """越高越好的目标不高于上年实际完成值或低于同类目标的下四分位数；越低越好的反之。

    只在审核时提供了上年自评结果或同类目标分布时判断（复制上年项目、指标库）；
    100%、0 这类已到尽头的目标和成本指标不判断。

    反例：上年实际完成 1650 宗，本年“执法办案立案数：≥1500宗”；
    上年实际投诉率 2%，本年“投诉率：≤3%”。
    正例：上年实际完成 1650 宗，本年“执法办案立案数：≥1700宗”；“验收合格率：100%”。
    """
    bench = ctx.benchmark(pf.index, ind.index)
    found = _target(ind)
    if bench is None or found is None or ind.is_cost:
        return None
    label, tv = found
    direction = _direction(ind, tv, ctx)
    if direction is None or _at_limit(tv, direction):
        return None
    notes = [
        note
        for note in (
            bench.last_year and _last_year_note(tv, bench.last_year, direction),
            bench.peers
            and _peer_note(tv, bench.peers, direction, ctx.profile.thresholds.min_peer_count),
        )
        if note
    ]
    if not notes:
        return None
    return Hit(
        f"指标“{name_of(ind)}”的{label}“{compact(tv.raw)}”{'，'.join(notes)}，目标偏低，"
        "完成没有难度。",
        _evidence(label, tv, bench.last_year, bench.peers, notes),
    )
