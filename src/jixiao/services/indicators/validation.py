"""Turn form input into domain values, with errors keyed by field.

Level codes and names are checked against the indicator framework (classic, else 101号);
a name alone is completed with its code and vice versa. Targets go through the domain grammar.
"""

from __future__ import annotations

from jixiao.domain.enums import Operator, TargetKind
from jixiao.domain.framework import Category, Framework, load_framework
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.target import TargetValue, parse_target
from jixiao.services.errors import ValidationFailed
from jixiao.services.indicators.schemas import IndicatorIn, TargetIn

FRAMEWORKS = ("classic", "cb101")


def to_domain(data: IndicatorIn) -> Indicator:
    """A domain Indicator for valid input, else ValidationFailed listing every bad field."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = "指标名称不能为空"
    level1, level2 = _levels(data, errors)
    period = _target(data.period, "period", errors)
    annual = _target(data.annual, "annual", errors)
    if period is None and annual is None:
        errors.setdefault("annual", "至少填写实施周期指标值或年度指标值之一")
    if errors:
        raise ValidationFailed("指标填写有误：" + "；".join(errors.values()), fields=errors)
    return Indicator(
        name=name,
        level1=level1,
        level2=level2,
        period=period,
        annual=annual,
        explanation=data.explanation or None,
        basis=data.basis or None,
        weight=data.weight,
    )


def _levels(data: IndicatorIn, errors: dict[str, str]) -> tuple[LevelRef | None, LevelRef | None]:
    for framework in (load_framework(f) for f in FRAMEWORKS):
        found = _match(framework, data)
        if found is not None:
            l1, l2 = found
            return LevelRef(l1.code, l1.name), LevelRef(l2.code, l2.name)
    errors["level2_code"] = "一级、二级指标不在指标体系中，或二级指标不属于该一级指标"
    return None, None


def _match(framework: Framework, data: IndicatorIn) -> tuple[Category, Category] | None:
    l2 = framework.find(data.level2_code, data.level2_name, 2)
    if l2 is None:
        return None
    if data.level2_code and data.level2_name and not l2.matches_name(data.level2_name):
        return None
    l1 = framework.parent(l2)
    if l1 is None:
        return None
    if data.level1_code or data.level1_name:
        given = framework.find(data.level1_code, data.level1_name, 1)
        if given is None or given.code != l1.code:
            return None
    return l1, l2


def _target(data: TargetIn | None, field: str, errors: dict[str, str]) -> TargetValue | None:
    if data is None:
        return None
    if data.kind is None:
        raw = (data.raw or "").strip()
        if not raw:
            return None
        return parse_target(raw)
    try:
        return _structured(data)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def _structured(data: TargetIn) -> TargetValue:
    if data.kind is TargetKind.QUANTITATIVE:
        if data.value is None:
            raise ValueError("定量指标须填写数值")
        op = data.op or Operator.EQ
        unit = (data.unit or "").strip() or None
        draft = TargetValue(
            raw="", kind=TargetKind.QUANTITATIVE, op=op, value=data.value, unit=unit
        )
        return TargetValue(draft.format(), TargetKind.QUANTITATIVE, op, data.value, unit)
    if data.kind is TargetKind.DEADLINE:
        if data.deadline is None:
            raise ValueError("时限指标须填写日期")
        draft = TargetValue(raw="", kind=TargetKind.DEADLINE, deadline=data.deadline)
        return TargetValue(draft.format(), TargetKind.DEADLINE, deadline=data.deadline)
    raw = (data.raw or "").strip()
    if not raw:
        raise ValueError("定性指标须填写指标值说明")
    return TargetValue(raw, TargetKind.QUALITATIVE)
