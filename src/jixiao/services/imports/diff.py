"""Differences between stored projects and a newly read table (pure functions on domain data).

Projects are matched by name; indicators by (level-2 code or name, indicator name).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel

from jixiao.domain.indicator import Indicator
from jixiao.domain.project import Project


class FieldChange(BaseModel):
    field: str
    before: str | None
    after: str | None


class ProjectChange(BaseModel):
    name: str
    fields: list[FieldChange]
    indicators_added: list[str]
    indicators_removed: list[str]
    indicators_changed: list[str]


class ImportDiff(BaseModel):
    added: list[str]
    removed: list[str]
    changed: list[ProjectChange]
    unchanged: list[str]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _text(value: object) -> str | None:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return None if value is None else str(value)


def _ind_key(ind: Indicator) -> tuple[str, str]:
    level2 = (ind.level2.code or ind.level2.name or "") if ind.level2 else ""
    return (level2, ind.name)


def _ind_signature(ind: Indicator) -> tuple[object, ...]:
    return (
        ind.level1.format() if ind.level1 else None,
        ind.level2.format() if ind.level2 else None,
        ind.period.raw if ind.period else None,
        ind.annual.raw if ind.annual else None,
    )


def _label(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}".strip()


def compare_project(old: Project, new: Project) -> ProjectChange | None:
    """What changed from ``old`` to ``new`` (None when nothing did)."""
    fields = [
        FieldChange(field=name, before=_text(a), after=_text(b))
        for name, a, b in (
            ("amounts.total", old.amounts.total, new.amounts.total),
            ("amounts.fiscal", old.amounts.fiscal, new.amounts.fiscal),
            ("amounts.special", old.amounts.special, new.amounts.special),
            ("amounts.other", old.amounts.other, new.amounts.other),
            ("goal", old.goal, new.goal),
        )
        if a != b
    ]
    before = {_ind_key(i): _ind_signature(i) for i in old.indicators}
    after = {_ind_key(i): _ind_signature(i) for i in new.indicators}
    added = [_label(k) for k in after if k not in before]
    removed = [_label(k) for k in before if k not in after]
    changed = [_label(k) for k in after if k in before and before[k] != after[k]]
    order_changed = [k for k in after if k in before] != [k for k in before if k in after]
    if order_changed and not changed:
        fields.append(FieldChange(field="indicators.order", before=None, after=None))
    if not (fields or added or removed or changed):
        return None
    return ProjectChange(
        name=new.name,
        fields=fields,
        indicators_added=added,
        indicators_removed=removed,
        indicators_changed=changed,
    )


def compare(stored: Sequence[Project], incoming: Sequence[Project]) -> ImportDiff:
    """Added, removed, changed and unchanged projects between two versions of a table."""
    old = {p.name: p for p in stored}
    new_names = {p.name for p in incoming}
    changed: list[ProjectChange] = []
    unchanged: list[str] = []
    for project in incoming:
        if project.name not in old:
            continue
        change = compare_project(old[project.name], project)
        if change is None:
            unchanged.append(project.name)
        else:
            changed.append(change)
    return ImportDiff(
        added=[p.name for p in incoming if p.name not in old],
        removed=[p.name for p in stored if p.name not in new_names],
        changed=changed,
        unchanged=unchanged,
    )
