"""The peers' spread of a project's targets, as evidence for the review (rule JX041).

For each quantitative indicator of a project: the targets other projects set for the same
library entry (same normalised name under the same level-2 category) in the same unit. Only
aggregates leave this module, so no project is named to a reviewer who may not read it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import Indicator, LibraryEntry, LibraryOccurrence, Project, TargetValueRow
from jixiao.domain.enums import TargetKind, TargetPeriod
from jixiao.domain.indicator import Indicator as DomainIndicator
from jixiao.domain.indicator import LevelRef
from jixiao.domain.library import category_key, distribution, name_key
from jixiao.review.evidence import PeerSpread
from jixiao.scoring.classify import level2_key
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize

Key = tuple[str, str, str | None]  # name key, level-2 key, unit
K = TypeVar("K")


def _target(indicator: Indicator) -> TargetValueRow | None:
    """The annual target, else the period one."""
    by_period = {t.period: t for t in indicator.targets}
    return by_period.get(TargetPeriod.ANNUAL) or by_period.get(TargetPeriod.PERIOD)


def _wanted(project: Project) -> dict[int, Key]:
    out = {}
    for ind in project.indicators:
        target = _target(ind)
        if target is None or target.kind is not TargetKind.QUANTITATIVE or target.value is None:
            continue
        level2 = category_key(level2_key(LevelRef(ind.level2_code, ind.level2_name)))
        out[ind.id] = (name_key(ind.name), level2, target.unit)
    return out


def peer_spreads(session: Session, project: Project) -> dict[int, PeerSpread]:
    """By indicator id of a loaded ``project`` (indicators and targets): the spread of the
    other projects' targets of the same entry and unit; indicators without peers are left out."""
    return _spreads(session, project.id, _wanted(project))


def spread_for(
    session: Session, actor: Principal, project_id: int, indicator: DomainIndicator
) -> PeerSpread | None:
    """The spread for an indicator being edited in project ``project_id`` (not yet saved)."""
    authorize(session, actor, Action.VIEW)
    target = indicator.annual or indicator.period
    if target is None or target.kind is not TargetKind.QUANTITATIVE or target.value is None:
        return None
    level2 = category_key(level2_key(indicator.level2))
    key = (name_key(indicator.name), level2, target.unit)
    return _spreads(session, project_id, {0: key}).get(0)


def _spreads(session: Session, project_id: int, wanted: dict[K, Key]) -> dict[K, PeerSpread]:
    if not wanted:
        return {}
    rows = session.execute(
        select(
            LibraryEntry.name_key,
            LibraryEntry.level2_key,
            LibraryOccurrence.unit,
            LibraryOccurrence.value,
        )
        .join(LibraryEntry, LibraryEntry.id == LibraryOccurrence.entry_id)
        .where(
            LibraryEntry.name_key.in_(sorted({key[0] for key in wanted.values()})),
            LibraryOccurrence.project_id != project_id,
            LibraryOccurrence.kind == TargetKind.QUANTITATIVE,
            LibraryOccurrence.value.is_not(None),
        )
    )
    values: dict[Key, list[Decimal]] = defaultdict(list)
    for name, level2, unit, value in rows:
        if value is not None:
            values[(name, level2, unit)].append(value)
    out = {}
    for found, key in wanted.items():
        dist = distribution(values.get(key, []), key[2])
        if dist is not None:
            out[found] = PeerSpread(key[2], dist.count, dist.p25, dist.median, dist.p75)
    return out
