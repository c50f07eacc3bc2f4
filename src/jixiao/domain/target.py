"""Target values (指标值): operator + number + unit, a deadline, or qualitative text.

Published tables merge the comparison, the number and the unit into one string (``≥95%``,
``95%以上``, ``不少于10次``, ``2023年12月31日前``, ``效果明显``). ``parse_target`` reads such a
string into a ``TargetValue``; it never raises: text it cannot read as a number becomes
qualitative, and the raw text is always kept. The grammar is described in
docs/formats/target-values.md.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.domain.enums import Direction, Operator, TargetKind
from jixiao.domain.widths import FULL_WIDTH_TO_ASCII

_SYMBOL = {
    Operator.GE: "≥",
    Operator.GT: ">",
    Operator.EQ: "",
    Operator.LT: "<",
    Operator.LE: "≤",
}


@dataclass(frozen=True)
class TargetValue:
    """One target as written (``raw``) and as understood.

    ``condition`` is text before the number that qualifies it (``收到销毁指令`` in
    ``收到销毁指令三个月内完成销毁``), ``remark`` text after the unit (``到位`` in
    ``1个小时内到位``, ``(每个试点市场1个)``), ``trend`` a change word (``下降`` in ``下降20%``).
    """

    raw: str
    kind: TargetKind
    op: Operator | None = None
    value: Decimal | None = None
    unit: str | None = None
    deadline: date | None = None
    trend: str | None = None
    condition: str | None = None
    remark: str | None = None

    @property
    def is_quantitative(self) -> bool:
        return self.kind is TargetKind.QUANTITATIVE

    @property
    def is_measurable(self) -> bool:
        """A number or a date that an actual value can be compared with."""
        if self.kind is TargetKind.DEADLINE:
            return self.deadline is not None
        return self.kind is TargetKind.QUANTITATIVE and self.value is not None

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def details(self) -> tuple[str | None, str | None, str | None]:
        """``(trend, condition, remark)``. A value restored without them (from JSON or the
        database, which keep raw, kind, op, value and unit) reads them again from ``raw``
        when that reading agrees with what was stored."""
        own = (self.trend, self.condition, self.remark)
        if any(own) or not self.raw:
            return own
        again = _parse_cached(self.raw)
        same = (again.kind, again.op, again.value, again.unit, again.deadline)
        if same != (self.kind, self.op, self.value, self.unit, self.deadline):
            return own
        return again.trend, again.condition, again.remark

    @property
    def direction(self) -> Direction:
        """Whether a higher actual is better (正向) or a lower one (反向), as the text says."""
        trend = self.details()[0]
        if trend is not None:
            return Direction.REVERSE if trend in _DECREASE_WORDS else Direction.POSITIVE
        if self.kind is TargetKind.DEADLINE:
            return Direction.REVERSE
        op = self.op if self.kind is TargetKind.QUANTITATIVE else _leading_operator(self.raw)
        if op is None:
            return Direction.NEUTRAL
        return Direction.REVERSE if op in (Operator.LE, Operator.LT) else Direction.POSITIVE

    def format(self) -> str:
        """Canonical text: ``≥95%``, ``1800台``, ``2023年12月31日前``, or the qualitative text."""
        if self.kind is TargetKind.DEADLINE and self.deadline is not None:
            d = self.deadline
            return f"{d.year}年{d.month}月{d.day}日前"
        if self.kind is not TargetKind.QUANTITATIVE or self.value is None:
            return self.raw
        trend, condition, remark = self.details()
        symbol, suffix = _SYMBOL[self.op or Operator.EQ], ""
        if remark and not _NOTE.match(remark) and self.op in _SUFFIX_FORM:
            symbol, suffix = "", _SUFFIX_FORM[self.op]  # ``1个小时内到位``: the remark stays apart
        if condition and not trend and not symbol and not suffix:
            symbol = "="  # keeps ``收到指令后=1次/月`` tied to its condition when read back
        parts = (condition, trend, symbol, _plain(self.value), self.unit, suffix, remark)
        return "".join(p or "" for p in parts)

    def as_json(self) -> dict[str, str | None]:
        value: str | None
        if self.deadline is not None:
            value = self.deadline.isoformat()
        else:
            value = None if self.value is None else str(self.value)
        return {
            "raw": self.raw,
            "kind": self.kind.value,
            "op": None if self.op is None else self.op.value,
            "value": value,
            "unit": self.unit,
        }


def _plain(value: Decimal) -> str:
    """A Decimal without exponent notation: ``Decimal("1E+2")`` → ``"100"``."""
    return format(value, "f")


# --- normalisation ---------------------------------------------------------------------------

_FULL_WIDTH = {**FULL_WIDTH_TO_ASCII, ord("≧"): ord("≥"), ord("≦"): ord("≤")}
_TRAILING_PUNCT = ";；,，。、.·:："


def normalize(text: str) -> str:
    """Half-width ASCII, no whitespace, no trailing separators: the form the grammar reads."""
    text = text.translate(_FULL_WIDTH)
    text = re.sub(r"\s+", "", text)
    return text.rstrip(_TRAILING_PUNCT)


# --- vocabulary --------------------------------------------------------------------------------

# Operator words before the number, longest first so ``不低于`` wins over ``低于``.
_PREFIX_OPS: dict[str, Operator] = {
    "大于等于": Operator.GE,
    "大于或等于": Operator.GE,
    "小于等于": Operator.LE,
    "小于或等于": Operator.LE,
    "等于或高于": Operator.GE,
    "等于或大于": Operator.GE,
    "等于或低于": Operator.LE,
    "等于或小于": Operator.LE,
    "不低于": Operator.GE,
    "不少于": Operator.GE,
    "不小于": Operator.GE,
    "不高于": Operator.LE,
    "不超过": Operator.LE,
    "不大于": Operator.LE,
    "不多于": Operator.LE,
    "大于": Operator.GT,
    "高于": Operator.GT,
    "超过": Operator.GT,
    "突破": Operator.GT,
    "多于": Operator.GT,
    "小于": Operator.LT,
    "低于": Operator.LT,
    "少于": Operator.LT,
    "达到": Operator.GE,
    "为期": Operator.EQ,
    "等于": Operator.EQ,
    "达": Operator.GE,
    ">=": Operator.GE,
    "=>": Operator.GE,
    "<=": Operator.LE,
    "=<": Operator.LE,
    "≥": Operator.GE,
    "≤": Operator.LE,
    "》": Operator.GE,
    ">": Operator.GT,
    "<": Operator.LT,
    "=": Operator.EQ,
}
_PREFIX_OP_WORDS = sorted(_PREFIX_OPS, key=len, reverse=True)
_SYMBOLS = {">=", "=>", "<=", "=<", "≥", "≤", ">", "<", "=", "》"}

# Operator words after the unit.
_SUFFIX_OPS: dict[str, Operator] = {
    "及以上": Operator.GE,
    "或以上": Operator.GE,
    "以上": Operator.GE,
    "及以下": Operator.LE,
    "或以下": Operator.LE,
    "以下": Operator.LE,
    "以内": Operator.LE,
    "之内": Operator.LE,
    "内": Operator.LE,
}
_SUFFIX_OP_WORDS = sorted(_SUFFIX_OPS, key=len, reverse=True)
_SUFFIX_FORM = {Operator.LE: "内", Operator.GE: "以上"}

_DECREASE_WORDS = ("下降", "降低", "减少", "压缩", "缩短", "减小")
_INCREASE_WORDS = ("增长", "增加", "提高", "提升", "上升", "增幅")
_TREND_WORDS = _DECREASE_WORDS + _INCREASE_WORDS
_TREND_LEADS = ("同比", "环比", "较上年", "比上年", "较去年", "比去年", "年均")

# Measure words (量词) and units, matched longest first after an optional magnitude (万, 亿 …).
_BASE_UNITS = (
    "% ‰ 百分比 百分点 个工作日 工作日 个小时 小时 分钟 分种 分 秒 个月 月 年 天 "
    "日 周 季度 人次 户次 次 个 项 件 台 套 辆 人 名 户 家 "
    "宗 起 批次 批 场 份 期 篇 本 册 条 页 所 座 处 间 "
    "张 元 吨 千克 公斤 平方米 亩 公里 米 km m² ㎡ GB TB 个百分点 点 "
    "级 类 种 门 课时 学时 栋 块 盏 棵 株 只 头 例 单 笔 "
    "部 架 "
).split()
_MAGNITUDES = ("万", "亿", "千", "百")
_UNIT_ALIASES = {"百分比": "%"}
_PERIODS = ("半年", "季度", "年", "季", "月", "周", "天", "日")

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS.update({"七": 7, "八": 8, "九": 9})
_CN_NUMERAL = "[零一二两三四五六七八九十百]+"
_NUMBER = re.compile(rf"-?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|-?\d+(?:\.\d+)?|{_CN_NUMERAL}")
_SUFFIX_OP = re.compile("|".join(_SUFFIX_OP_WORDS))
# The run of unit-like characters after a number, stopping at a suffix word or 前.
_UNIT_ZONE = re.compile(rf"(?:(?!{_SUFFIX_OP.pattern}|前)[\u4e00-\u9fff%‰A-Za-z²㎡])*")
_BASES = "|".join(re.escape(u) for u in sorted(_BASE_UNITS, key=len, reverse=True))
# A plain unit first, so that 百分比 is not read as 百 + 分; else a magnitude with its unit.
_KNOWN_UNIT = re.compile(rf"(?:{_BASES})|[{''.join(_MAGNITUDES)}](?:{_BASES})?")


def _by_last_char(words: tuple[str, ...] | list[str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        grouped.setdefault(word[-1], []).append(word)
    return {last: tuple(ws) for last, ws in grouped.items()}


_PREFIX_BY_LAST = _by_last_char(_PREFIX_OP_WORDS)
_TREND_BY_LAST = _by_last_char(_TREND_WORDS)
_NOTE = re.compile(r"^\(.*\)$|^（.*）$")


# --- deadlines ---------------------------------------------------------------------------------

_DEADLINE = re.compile(
    r"^(?:在|于|截至|截止)?(?P<y>\d{4})(?:年|-|\.|/)"
    r"(?:(?P<m>\d{1,2})(?:月|-|\.|/)?(?:(?P<d>\d{1,2})日?)?)?"
    r"(?P<end>底|末)?(?P<by>前|之前|以前|内|止)?(?P<tail>[^\d]*)$"
)


def _deadline_date(year: int, month: str | None, day: str | None, before: bool) -> date:
    """The last day allowed. ``before`` (``2024年前``, ``2023年7月前``) ends before that period."""
    if day is not None and month is not None:
        return date(year, int(month), int(day))
    if month is None:
        return date(year - 1 if before else year, 12, 31)
    first = date(year, int(month), 1)
    if before:
        return date.fromordinal(first.toordinal() - 1)
    return date(year, int(month), calendar.monthrange(year, int(month))[1])


def _parse_deadline(raw: str, text: str) -> TargetValue | None:
    m = _DEADLINE.match(text)
    if not m or (m["by"] is None and m["d"] is None):
        return None  # a date without 前/内 counts only when it names the day: ``2023年12月31日``
    try:
        when = _deadline_date(int(m["y"]), m["m"], m["d"], m["end"] is None and m["by"] != "内")
    except ValueError:
        return None
    return TargetValue(
        raw=raw,
        kind=TargetKind.DEADLINE,
        op=Operator.LE,
        deadline=when,
        remark=m["tail"] or None,
    )


# --- quantities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A number in the text with what stands around it."""

    lead: str
    number: str
    rest: str


def _candidates(text: str) -> list[_Candidate]:
    return [
        _Candidate(text[: m.start()], m.group(), text[m.end() :]) for m in _NUMBER.finditer(text)
    ]


def _to_decimal(number: str) -> Decimal | None:
    if number[0] in _CN_DIGITS or number[0] in "十百":
        return _chinese_number(number)
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


def _chinese_number(text: str) -> Decimal | None:
    """``三`` → 3, ``十二`` → 12, ``二十`` → 20, ``一百二十`` → 120; None when not a number."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        else:
            scale = 10 if ch == "十" else 100
            total += (1 if digit is None else digit) * scale
            digit = None
    total += digit or 0
    return Decimal(total)


def _ending_word(text: str, words: dict[str, tuple[str, ...]]) -> str | None:
    """The longest of ``words`` (grouped by their last character) that ``text`` ends with."""
    if not text:
        return None
    return next((w for w in words.get(text[-1], ()) if text.endswith(w)), None)


def _split_prefix_ops(lead: str) -> tuple[str, Operator | None, bool]:
    """Peel operator words off the end of ``lead``: (text before, operator, had a symbol).

    A symbol (``≥``, ``>``) wins over a word (``达``) next to it: ``达≥95%`` is ``≥``.
    """
    op: Operator | None = None
    symbol = False
    while True:
        word = _ending_word(lead, _PREFIX_BY_LAST)
        if word is None:
            return lead, op, symbol
        if op is None or (word in _SYMBOLS and not symbol):
            op, symbol = _PREFIX_OPS[word], word in _SYMBOLS
        lead = lead[: -len(word)]


def _split_trend(lead: str) -> tuple[str, str | None]:
    word = _ending_word(lead, _TREND_BY_LAST)
    return (lead, None) if word is None else (lead[: -len(word)], word)


def _split_per(lead: str) -> tuple[str, str | None]:
    """``每半年`` before the number: the count is per half-year."""
    if "每" not in lead:
        return lead, None
    for period in _PERIODS:
        if lead.endswith("每" + period):
            return lead[: -len(period) - 1], period
    return lead, None


def _match_unit(zone: str) -> str | None:
    """The longest magnitude+unit at the start of ``zone`` (``万户``, ``个小时``, ``%``)."""
    m = _KNOWN_UNIT.match(zone)
    return m.group() if m else None


def _split_unit(rest: str) -> tuple[str | None, str]:
    """Split the text after the number into its unit and what follows.

    The unit zone is the run of unit-like characters up to a suffix word (以上, 内 …). A known
    unit followed by one stray character keeps it (``分种``, ``台套``); a longer run keeps the
    known unit and leaves the rest as remark (``个平台运营壮大`` → ``个``). Unknown units of up
    to three characters are taken as written (``条``, ``宗``).
    """
    zone = _UNIT_ZONE.match(rest).group()  # type: ignore[union-attr]  # matches "" at least
    end = len(zone)
    if not zone:
        return None, rest
    known = _match_unit(zone)
    if known is not None and len(zone) - len(known) > 1:
        return known, rest[len(known) :]
    if known is not None or len(zone) <= 3:
        return zone, rest[end:]
    return None, rest


def _split_suffix_op(rest: str) -> tuple[Operator | None, str]:
    m = _SUFFIX_OP.match(rest)
    return (None, rest) if m is None else (_SUFFIX_OPS[m.group()], rest[m.end() :])


def _split_period(rest: str) -> tuple[str | None, str]:
    """``/季度`` after the unit: ``1次/季度``."""
    for period in _PERIODS:
        if rest.startswith("/" + period):
            return period, rest[len(period) + 1 :]
    return None, rest


def _read_candidate(raw: str, cand: _Candidate) -> TargetValue | None:
    lead, op, _ = _split_prefix_ops(cand.lead)
    lead, trend = _split_trend(lead)
    lead, per = _split_per(lead)
    if per is not None and op is None:
        lead, op, _ = _split_prefix_ops(lead)  # ``≥每半年1次`` as well as ``每半年≥1次``
    value = _to_decimal(cand.number)
    if value is None:
        return None
    unit, rest = _split_unit(cand.rest)
    period, rest = _split_period(rest)
    suffix_op, rest = _split_suffix_op(rest)
    if unit is None and rest and not _NOTE.match(rest):
        return None
    anchored = op is not None or trend is not None or per is not None or suffix_op is not None
    if not _plausible(cand, lead, rest, anchored, unit):
        return None
    return TargetValue(
        raw=raw,
        kind=TargetKind.QUANTITATIVE,
        op=op or suffix_op or Operator.EQ,
        value=value,
        unit=_unit_text(unit, period or per),
        trend=trend,
        condition=lead or None,
        remark=rest or None,
    )


def _unit_text(unit: str | None, period: str | None) -> str | None:
    if unit is not None:
        unit = _UNIT_ALIASES.get(unit, unit)
    if period is None:
        return unit
    return f"{unit or ''}/{period}"


def _plausible(cand: _Candidate, lead: str, rest: str, anchored: bool, unit: str | None) -> bool:
    """Whether this number is the target and not a number inside a sentence.

    Text before the number must be tied to it by an operator, a change word, ``每…`` or a
    ``…内`` time limit, unless it is a short qualifier (``全年365天``); text after it must hold
    no other number unless it is a note in brackets. A Chinese numeral needs a unit and either an
    anchor or nothing after it (``为期一年``, ``三个月内``, not ``一次性告知``).
    """
    if rest and not _NOTE.match(rest) and re.search(r"\d", rest):
        return False
    if lead and ((not anchored and len(lead) > 2) or lead[-1] in "0123456789.,-"):
        return False
    if not cand.number[0].isdigit() and cand.number[0] != "-":
        known = unit is not None and _match_unit(unit) is not None
        return known and (anchored or not rest) and not lead.endswith(("第", "每"))
    return not lead.endswith("第")


def _parse_quantity(raw: str, text: str) -> TargetValue | None:
    for cand in _candidates(text):
        found = _read_candidate(raw, cand)
        if found is not None:
            return found
    return None


def _qualitative(raw: str, text: str) -> TargetValue:
    trend = None
    for lead in ("", *_TREND_LEADS):
        if text.startswith(lead) and text[len(lead) :] in _TREND_WORDS:
            trend = text[len(lead) :]
    return TargetValue(raw=raw, kind=TargetKind.QUALITATIVE, trend=trend)


def _leading_operator(raw: str) -> Operator | None:
    """The comparison a qualitative text opens with: ``等于或低于预算价格`` → ``<=``."""
    text = normalize(raw)
    word = next((w for w in _PREFIX_OP_WORDS if text.startswith(w) and w != "为期"), None)
    return None if word is None else _PREFIX_OPS[word]


def parse_target(text: str) -> TargetValue:
    """Parse a published value text into a TargetValue (see docs/formats/target-values.md)."""
    raw = text.strip()
    normal = normalize(raw)
    if not normal:
        return TargetValue(raw=raw, kind=TargetKind.QUALITATIVE)
    found = _parse_deadline(raw, normal) or _parse_quantity(raw, normal)
    return found or _qualitative(raw, normal)


# Restored values read their details again from ``raw``; published values repeat a lot.
_parse_cached = lru_cache(maxsize=4096)(parse_target)
