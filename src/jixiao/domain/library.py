"""The indicator library's pure parts: entry keys, exact target statistics, met or not.

An entry gathers the occurrences of one indicator: the same name once wrap spaces, full-width
characters, a bracketed unit and a trailing 率/数 are set aside, under the same level-2 category.
Statistics are computed on exact Decimals, one unit at a time (values in different units are
never pooled); qualitative targets are counted as wordings, never as numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from jixiao.domain.enums import Direction, Operator, QualitativeTier, TargetKind
from jixiao.domain.target import TargetValue
from jixiao.domain.widths import FULL_WIDTH_TO_ASCII

_BRACKETED_TAIL = re.compile(r"[（(][^（）()]{0,8}[)）]$")
_PUNCT = "：:；;，,。.、·-—_*＊"
T = TypeVar("T")
_COST_CATEGORIES = ("成本", "经济成本", "社会成本", "生态环境成本")


def name_key(name: str) -> str:
    """The key names of one entry share: ``资金到位率（%）``, ``资金 到位率``, ``资金到位`` →
    ``资金到位``. Width folded, whitespace and edge punctuation dropped, ASCII lower-cased, a
    bracketed tail (a unit or a note) dropped, then one trailing 率 or 数."""
    text = "".join(name.translate(FULL_WIDTH_TO_ASCII).split()).lower().strip(_PUNCT)
    text = _BRACKETED_TAIL.sub("", text).strip(_PUNCT) or text
    if len(text) > 2 and text[-1] in "率数":
        text = text[:-1]
    return text


def category_key(name: str | None) -> str:
    """A level-2 category as a key: ``数量指标`` / ``数量`` / `` 数 量 指 标`` → ``数量``."""
    if not name:
        return ""
    text = "".join(name.translate(FULL_WIDTH_TO_ASCII).split())
    text = re.sub(r"^\d+[-.、]?", "", text)
    return text[: -len("指标")] if text.endswith("指标") and len(text) > 2 else text


def target_direction(target: TargetValue, level2: str | None) -> Direction:
    """正向 when a higher actual is better, 反向 when a lower one is (≤ <, a deadline, a fall,
    an = on a cost category), 定性 when no number or date is set."""
    if target.kind is TargetKind.DEADLINE:
        return Direction.REVERSE if target.deadline is not None else Direction.NEUTRAL
    if target.kind is not TargetKind.QUANTITATIVE or target.value is None:
        return Direction.NEUTRAL
    if target.op in (None, Operator.EQ) and category_key(level2) in _COST_CATEGORIES:
        return Direction.REVERSE
    return target.direction


@dataclass(frozen=True)
class Actual:
    """What a self-evaluation reports for one indicator."""

    value: Decimal | None = None
    on: date | None = None
    tier: QualitativeTier | None = None
    not_applicable: bool = False


def met(target: TargetValue, actual: Actual, direction: Direction) -> bool | None:
    """Whether the actual meets the target; None when it cannot be told (nothing comparable).

    Quantitative: the operator decides (≥ > ≤ <); ``=`` reads as "at least" on a positive
    indicator and "at most" on a reverse one. Deadline: done on or before the date.
    Qualitative: the tier 达成.
    """
    if actual.not_applicable:
        return None
    if target.kind is TargetKind.DEADLINE:
        if target.deadline is None or actual.on is None:
            return None
        return actual.on <= target.deadline
    if target.kind is TargetKind.QUANTITATIVE and target.value is not None:
        return None if actual.value is None else _compare(target, actual.value, direction)
    return None if actual.tier is None else actual.tier is QualitativeTier.ACHIEVED


def _compare(target: TargetValue, a: Decimal, direction: Direction) -> bool:
    t = target.value
    assert t is not None
    if target.op is Operator.GT:
        return a > t
    if target.op is Operator.LT:
        return a < t
    if target.op is Operator.LE or (target.op is Operator.EQ and direction is Direction.REVERSE):
        return a <= t
    return a >= t


def quantile(ordered: Sequence[Decimal], q: Decimal) -> Decimal:
    """The ``q`` quantile (0–1) of sorted values by linear interpolation between the closest
    ranks (the common "type 7" definition): position ``(n−1)·q``. Exact for Decimals."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q
    low = int(position)
    fraction = position - low
    if fraction == 0 or low + 1 >= len(ordered):
        return ordered[low]
    return ordered[low] + (ordered[low + 1] - ordered[low]) * fraction


@dataclass(frozen=True)
class Distribution:
    """Quantitative targets of one unit: count, min, p25, median, p75, max."""

    unit: str | None
    count: int
    minimum: Decimal
    p25: Decimal
    median: Decimal
    p75: Decimal
    maximum: Decimal
    values: tuple[Decimal, ...]


def distribution(values: Sequence[Decimal], unit: str | None) -> Distribution | None:
    """The distribution of ``values`` (all in ``unit``); None when there are none."""
    if not values:
        return None
    ordered = tuple(sorted(values))
    return Distribution(
        unit=unit,
        count=len(ordered),
        minimum=ordered[0],
        p25=quantile(ordered, Decimal("0.25")),
        median=quantile(ordered, Decimal("0.5")),
        p75=quantile(ordered, Decimal("0.75")),
        maximum=ordered[-1],
        values=ordered,
    )


def rank_of(value: Decimal, dist: Distribution) -> Decimal:
    """The share (0–100, %) of peers' targets strictly below ``value`` plus half of those
    equal: ``高于 80% 的同类目标`` for 80. Exact; rounded to whole percent by the caller."""
    below = sum(1 for v in dist.values if v < value)
    equal = sum(1 for v in dist.values if v == value)
    return (Decimal(below) + Decimal(equal) / 2) * 100 / Decimal(dist.count)


def common_wordings(texts: Sequence[str], limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent qualitative wordings (whitespace and width folded), most common first."""
    folded = ["".join(t.translate(FULL_WIDTH_TO_ASCII).split()) for t in texts]
    counts = Counter(t for t in folded if t)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def most_common(items: Sequence[T]) -> T | None:
    """The most frequent item (the first seen of those tied); None for no items."""
    if not items:
        return None
    counts = Counter(items)
    best = max(counts.values())
    return next(i for i in items if counts[i] == best)
