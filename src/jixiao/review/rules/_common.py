"""Helpers the rule modules share: target classification and evidence formatting."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.enums import Operator, TargetKind
from jixiao.domain.target import TargetValue
from jixiao.review.context import IndicatorFacts, RuleContext
from jixiao.review.profile import Words
from jixiao.review.text import compact, contains_any, has_number, strip_words

HUNDRED = Decimal(100)
MONEY_FACTORS = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "万": Decimal(10_000),
    "亿元": Decimal(100_000_000),
    "亿": Decimal(100_000_000),
}
UPWARD = (Operator.GE, Operator.GT)
DOWNWARD = (Operator.LE, Operator.LT)


def name_of(ind: IndicatorFacts) -> str:
    return compact(ind.indicator.name)


def measurable_keyword(ind: IndicatorFacts, words: Words) -> str | None:
    """The word in the indicator's name that says it should carry a number (率, 数, 时限…)."""
    return contains_any(
        strip_words(ind.name, words.measurable_name_exclusions), words.measurable_names
    )


_ADVERSE = ("事故", "投诉", "违法", "违规", "差错", "出错", "污染", "隐患", "事件", "案件", "问题")


def is_placeholder(raw: str, words: Words, name: str = "") -> bool:
    """A stand-in rather than a target: ``-``, ``*``, ``待定``, ``…:无``. A bare ``无`` for an
    adverse event (重大安全事故：无) means none and is a real target."""
    text = compact(raw)
    if text == "无" and contains_any(name, _ADVERSE):
        return False
    if text in words.placeholder_values:
        return True
    return any(c in text for c in "*＊_") or text.endswith((":无", "：无"))


def is_wordy(tv: TargetValue, words: Words) -> bool:
    """A qualitative value that states no number and is not a placeholder."""
    return (
        tv.kind is TargetKind.QUALITATIVE
        and bool(tv.raw.strip())
        and not has_number(tv.raw)
        and not is_placeholder(tv.raw, words)
    )


def is_satisfaction(ind: IndicatorFacts, ctx: RuleContext) -> bool:
    """The indicator measures satisfaction by its name (满意度, 认可度, 获得感…), wherever filed."""
    return ctx.words.satisfaction_words.find(ind.name) is not None


def percent_value(tv: TargetValue) -> Decimal | None:
    if tv.kind is TargetKind.QUANTITATIVE and tv.unit in ("%", "％") and tv.value is not None:
        return tv.value
    return None


def money_in(tv: TargetValue, unit: str) -> Decimal | None:
    """The target's amount converted to ``unit`` (元/万元), or None when it is not money."""
    if tv.kind is not TargetKind.QUANTITATIVE or tv.value is None or tv.unit is None:
        return None
    factor = MONEY_FACTORS.get(compact(tv.unit))
    if factor is None:
        return None
    return tv.value * factor / MONEY_FACTORS[unit]


def expected_direction(ind: IndicatorFacts, ctx: RuleContext) -> tuple[str, str] | None:
    """("lower"|"higher", the keyword) when the name says which way is better, else None."""
    words = ctx.words
    if contains_any(ind.name, words.direction_inverters):
        return None
    name = ind.name
    lower = contains_any(name, words.lower_is_better)
    higher = contains_any(name, words.higher_is_better)
    if (
        higher
        and name.endswith(words.higher_is_better)
        and not name.endswith(words.lower_is_better)
    ):
        return "higher", higher  # the metric is what the name ends with: 成本核算准确率
    if lower:
        return "lower", lower
    return ("higher", higher) if higher else None
