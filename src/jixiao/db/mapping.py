"""ORM ↔ domain conversions. ``project_to_domain(project_from_domain(p)) == p`` (tested).

Money is kept in integer 分 in the database and converted back to the project's money unit;
the reader's repairs and warnings live in their own tables and are passed in and out separately.

The ``*_values`` functions give the column values of new rows as plain dicts: the ORM builders
are made of them, and bulk writes insert them as they are.
"""

from __future__ import annotations

from typing import Any

from jixiao.db.models import (
    FundingLine,
    Goal,
    Indicator,
    Project,
    RepairRow,
    TargetValueRow,
    WarningRow,
)
from jixiao.domain.enums import FundSource, MoneyUnit, TargetPeriod
from jixiao.domain.indicator import Indicator as DomainIndicator
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.project import Amounts
from jixiao.domain.project import Project as DomainProject
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.domain.target import TargetValue

_AMOUNT_SOURCES = (FundSource.TOTAL, FundSource.FISCAL, FundSource.SPECIAL, FundSource.OTHER)


def source_to_json(source: SourceRef) -> dict[str, Any]:
    out: dict[str, Any] = dict(source.as_json())
    if source.raw_text is not None:
        out["raw_text"] = source.raw_text
    return out


def source_from_json(data: dict[str, Any] | None) -> SourceRef:
    data = data or {}
    return SourceRef(
        lines=tuple(data.get("lines", ())),
        pages=tuple(data.get("pages", ())),
        sheet=data.get("sheet"),
        rows=tuple(data.get("rows", ())),
        raw_text=data.get("raw_text"),
        cells=tuple(data.get("cells", ())),
        boxes=SourceRef.boxes_from_json(data.get("boxes")),
    )


def funding_values(amounts: Amounts, unit: MoneyUnit) -> list[dict[str, Any]]:
    """Source and amount (in 分) of each non-empty source."""
    return [
        {"source": source, "amount": Money.of(value, unit)}
        for source in _AMOUNT_SOURCES
        if (value := amounts.get(source)) is not None
    ]


def funding_from_amounts(amounts: Amounts, unit: MoneyUnit) -> list[FundingLine]:
    """One FundingLine per non-empty source, converted to 分."""
    return [FundingLine(**values) for values in funding_values(amounts, unit)]


def amounts_from_funding(lines: list[FundingLine], unit: MoneyUnit) -> Amounts:
    by_source = {line.source: line.amount.amount(unit) for line in lines}
    return Amounts(
        total=by_source.get(FundSource.TOTAL),
        fiscal=by_source.get(FundSource.FISCAL),
        special=by_source.get(FundSource.SPECIAL),
        other=by_source.get(FundSource.OTHER),
    )


def target_columns(target: TargetValue) -> dict[str, Any]:
    """The stored parts of a target value (``trend``, ``condition``, ``remark`` are not kept)."""
    return {
        "raw": target.raw,
        "kind": target.kind,
        "op": target.op,
        "value": target.value,
        "unit": target.unit,
        "deadline": target.deadline,
    }


def target_row(period: TargetPeriod, target: TargetValue) -> TargetValueRow:
    return TargetValueRow(period=period, **target_columns(target))


def target_to_domain(row: TargetValueRow) -> TargetValue:
    return TargetValue(
        raw=row.raw,
        kind=row.kind,
        op=row.op,
        value=row.value,
        unit=row.unit,
        deadline=row.deadline,
    )


def target_values(ind: DomainIndicator) -> list[dict[str, Any]]:
    """Period and columns of the indicator's 实施周期 and 年度 target values (those present)."""
    return [
        {"period": period, **target_columns(value)}
        for period, value in ((TargetPeriod.PERIOD, ind.period), (TargetPeriod.ANNUAL, ind.annual))
        if value is not None
    ]


def target_rows(ind: DomainIndicator) -> list[TargetValueRow]:
    """New rows for the indicator's 实施周期 and 年度 target values (those present)."""
    return [TargetValueRow(**values) for values in target_values(ind)]


def indicator_fields(ind: DomainIndicator) -> dict[str, Any]:
    """The indicator's own columns (without position and targets)."""
    return {
        "level1_code": ind.level1.code if ind.level1 else None,
        "level1_name": ind.level1.name if ind.level1 else None,
        "level2_code": ind.level2.code if ind.level2 else None,
        "level2_name": ind.level2.name if ind.level2 else None,
        "name": ind.name,
        "explanation": ind.explanation,
        "basis": ind.basis,
        "weight": ind.weight,
        "source": source_to_json(ind.source),
    }


def indicator_from_domain(ind: DomainIndicator, position: int) -> Indicator:
    """A new ORM indicator (with its target rows) for a domain indicator."""
    return Indicator(position=position, targets=target_rows(ind), **indicator_fields(ind))


def _level(code: str | None, name: str | None) -> LevelRef | None:
    return None if code is None and name is None else LevelRef(code, name)


def indicator_to_domain(row: Indicator) -> DomainIndicator:
    by_period = {t.period: target_to_domain(t) for t in row.targets}
    return DomainIndicator(
        name=row.name,
        level1=_level(row.level1_code, row.level1_name),
        level2=_level(row.level2_code, row.level2_name),
        period=by_period.get(TargetPeriod.PERIOD),
        annual=by_period.get(TargetPeriod.ANNUAL),
        source=source_from_json(row.source),
        explanation=row.explanation,
        basis=row.basis,
        weight=row.weight,
    )


def goal_values(project: DomainProject) -> list[dict[str, Any]]:
    """Period and text of the project's 实施周期 and 年度 goals (those present)."""
    texts = ((TargetPeriod.PERIOD, project.goal), (TargetPeriod.ANNUAL, project.annual_goal))
    return [{"period": period, "text": text} for period, text in texts if text is not None]


def goals_from_domain(project: DomainProject) -> list[Goal]:
    return [Goal(**values) for values in goal_values(project)]


def project_values(project: DomainProject, unit: MoneyUnit) -> dict[str, Any]:
    """The project's own columns (without its organisation, year and document)."""
    return {
        "name": project.name,
        "code": project.code,
        "unit_name": project.unit_name,
        "money_unit": unit,
        "source": source_to_json(project.source),
    }


def project_from_domain(project: DomainProject, unit: MoneyUnit, **columns: Any) -> Project:
    """A new ORM project with funding, goals and indicators; ``columns`` sets org, year…"""
    return Project(
        **project_values(project, unit),
        funding=funding_from_amounts(project.amounts, unit),
        goals=goals_from_domain(project),
        indicators=[indicator_from_domain(ind, i) for i, ind in enumerate(project.indicators)],
        **columns,
    )


def project_to_domain(
    row: Project,
    repairs: list[RepairRow] | None = None,
    warnings: list[WarningRow] | None = None,
) -> DomainProject:
    """The domain project of a row whose funding, goals and indicators are loaded."""
    goals = {g.period: g.text for g in row.goals}
    return DomainProject(
        name=row.name,
        amounts=amounts_from_funding(row.funding, row.money_unit),
        goal=goals.get(TargetPeriod.PERIOD),
        indicators=[indicator_to_domain(i) for i in sorted(row.indicators, key=_position)],
        repairs=[repair_to_domain(r) for r in repairs or []],
        warnings=[warning_to_domain(w) for w in warnings or []],
        source=source_from_json(row.source),
        code=row.code,
        unit_name=row.unit_name,
        annual_goal=goals.get(TargetPeriod.ANNUAL),
    )


def _position(row: Indicator) -> int:
    return row.position


def repair_to_domain(row: RepairRow) -> Repair:
    return Repair(field=row.field, before=row.before, after=row.after, reason=row.reason)


def warning_to_domain(row: WarningRow) -> ParseWarning:
    return ParseWarning(code=row.code, message=row.message, source=source_from_json(row.source))


def repair_values(repairs: list[Repair], **columns: Any) -> list[dict[str, Any]]:
    return [
        {
            "position": i,
            "field": r.field,
            "before": r.before,
            "after": r.after,
            "reason": r.reason,
            **columns,
        }
        for i, r in enumerate(repairs)
    ]


def warning_values(warnings: list[ParseWarning], **columns: Any) -> list[dict[str, Any]]:
    return [
        {
            "position": i,
            "code": w.code,
            "message": w.message,
            "source": source_to_json(w.source),
            **columns,
        }
        for i, w in enumerate(warnings)
    ]
