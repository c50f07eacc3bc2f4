"""Two versions of a project side by side: header, funding, goals and indicators, diffs marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.domain.enums import FundSource, MoneyUnit
from jixiao.services.projects.schemas import ProjectDetail
from jixiao.web.ui.formatting import wan
from jixiao.web.ui.project_view import target_text


@dataclass
class Side:
    """One version flattened to text: ``fields`` in display order, indicators keyed by name."""

    title: str
    fields: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    label: str
    a: str
    b: str

    @property
    def changed(self) -> bool:
        return self.a != self.b


def _amount(value: object, unit: MoneyUnit) -> str:
    if value is None:
        return ""
    return wan(value if isinstance(value, Decimal) else Decimal(str(value)), unit)


def _level(level: dict[str, Any] | None) -> str:
    if not level:
        return ""
    return "-".join(str(part) for part in (level.get("code"), level.get("name")) if part)


def side_from_snapshot(title: str, snap: dict[str, Any]) -> Side:
    unit = MoneyUnit(snap.get("money_unit") or MoneyUnit.WAN_YUAN.value)
    amounts = snap.get("amounts") or {}
    side = Side(title)
    side.fields["项目名称"] = snap.get("name") or ""
    side.fields["资金使用单位"] = snap.get("unit_name") or ""
    for source in FundSource:
        side.fields[f"{source.label}（万元）"] = _amount(amounts.get(source.value), unit)
    side.fields["实施周期目标"] = snap.get("goal") or ""
    side.fields["年度目标"] = snap.get("annual_goal") or ""
    for ind in snap.get("indicators") or []:
        levels = f"{_level(ind.get('level1'))} / {_level(ind.get('level2'))}"
        period = (ind.get("period") or {}).get("raw") or ""
        annual = (ind.get("annual") or {}).get("raw") or ""
        side.indicators[ind.get("name") or ""] = f"{levels}：{period}｜{annual}"
    return side


def side_from_detail(title: str, d: ProjectDetail) -> Side:
    side = Side(title)
    side.fields["项目名称"] = d.name
    side.fields["资金使用单位"] = d.unit_name or ""
    for source in FundSource:
        side.fields[f"{source.label}（万元）"] = _amount(
            getattr(d.amounts, source.value), d.money_unit
        )
    side.fields["实施周期目标"] = d.goal or ""
    side.fields["年度目标"] = d.annual_goal or ""
    for ind in d.indicators:
        levels = (
            f"{_join(ind.level1_code, ind.level1_name)} / {_join(ind.level2_code, ind.level2_name)}"
        )
        side.indicators[ind.name] = (
            f"{levels}：{target_text(ind.period)}｜{target_text(ind.annual)}"
        )
    return side


def _join(code: str | None, name: str | None) -> str:
    return "-".join(part for part in (code, name) if part)


def lines(a: Side, b: Side) -> tuple[list[Line], list[Line]]:
    """(header lines, indicator lines); indicators are matched by name, A's order first."""
    head = [Line(k, a.fields.get(k, ""), b.fields.get(k, "")) for k in a.fields]
    names = list(a.indicators) + [n for n in b.indicators if n not in a.indicators]
    inds = [Line(n, a.indicators.get(n, "（无）"), b.indicators.get(n, "（无）")) for n in names]
    return head, inds
