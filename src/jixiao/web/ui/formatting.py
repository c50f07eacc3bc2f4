"""Jinja filters that turn domain values into the text the pages show (万元, dates, labels)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum

from jixiao.domain.enums import FundSource, LabeledEnum, MoneyUnit
from jixiao.domain.money import Money
from jixiao.domain.numbers import plain

CHINA = timezone(timedelta(hours=8), "CST")


def wan(value: object, unit: MoneyUnit | None = None, places: int = 2) -> str:
    """Money as 万元 with thousands separators.

    An int is 分, a Money is exact, a Decimal is an amount in ``unit`` (万元 when not given).
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, Money):
        return value.format(MoneyUnit.WAN_YUAN, places)
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int):
        return Money(value).format(MoneyUnit.WAN_YUAN, places)
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return Money.of(amount, unit or MoneyUnit.WAN_YUAN).format(MoneyUnit.WAN_YUAN, places)


def label(value: object) -> str:
    """The Chinese label of an enum member, or the text itself."""
    if value is None:
        return ""
    if isinstance(value, LabeledEnum):
        return value.label
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def code(value: object) -> str:
    """The machine value of an enum (used for CSS classes and query strings)."""
    if isinstance(value, Enum):
        return str(value.value)
    return "" if value is None else str(value)


def when(value: datetime | None) -> str:
    """A timestamp in China time, ``2026-03-01 09:30``."""
    if value is None:
        return ""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def thousands(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


VERSION_KINDS = {
    "approved": "批复版本",
    "adjustment": "调整时保留",
    "import": "导入版本",
    "copy": "复制上年",
}


def version_kind(kind: str) -> str:
    return VERSION_KINDS.get(kind, kind)


FIELD_LABELS = {
    "name": "项目名称",
    "code": "项目编码",
    "unit_name": "实施单位",
    "goal": "实施周期目标",
    "annual_goal": "年度目标",
    "source": "来源",
    "indicators.order": "指标顺序",
    **{f"amounts.{s.value}": f"资金（{s.label}）" for s in FundSource},
}
INDICATOR_PARTS = {
    "name": "指标名称",
    "level1": "一级指标",
    "level2": "二级指标",
    "period": "实施周期指标值",
    "annual": "年度指标值",
}
INDICATOR_FIELD = re.compile(r"^indicators\[(\d+)\]\.(\w+)$")


def field_label(field: str) -> str:
    """A changed or repaired field in words: ``indicators[1].annual`` → 第 2 条指标·年度指标值."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    found = INDICATOR_FIELD.match(field)
    if found is None:
        return field
    part = INDICATOR_PARTS.get(found.group(2), found.group(2))
    return f"第 {int(found.group(1)) + 1} 条指标·{part}"


def plain_number(value: Decimal | None) -> str:
    """A decimal without exponent or trailing zeros (``95.50`` → ``95.5``); ``—`` for none."""
    return "—" if value is None else plain(value)


FILTERS = {
    "plain": plain_number,
    "field_label": field_label,
    "version_kind": version_kind,
    "wan": wan,
    "label": label,
    "code": code,
    "when": when,
    "thousands": thousands,
}
