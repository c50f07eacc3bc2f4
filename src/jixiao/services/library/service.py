"""Use-cases of the indicator library: suggest while typing, search, peers, curation.

Everyone who may view projects may use the library. Peers' figures are aggregates over every
department; the projects behind them are named only where the user may read them
(:mod:`jixiao.services.scope`). Curated fields are set by 管理员 and 财政审核.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import LibraryEntry, LibraryOccurrence, Organisation, Project
from jixiao.domain.enums import Direction, Operator, TargetKind
from jixiao.domain.library import (
    common_wordings,
    distribution,
    most_common,
    name_key,
)
from jixiao.domain.library import rank_of as exact_rank
from jixiao.domain.numbers import plain
from jixiao.services import audit
from jixiao.services.errors import NotFound
from jixiao.services.library import search
from jixiao.services.library.schemas import (
    Curation,
    DepartmentEase,
    EntryDetail,
    EntrySummary,
    LibraryFilters,
    LibrarySuggestion,
    MetRate,
    PeerExample,
    PeerStats,
    UnitCount,
    Wording,
)
from jixiao.services.pagination import Page, PageParams
from jixiao.services.principal import Principal
from jixiao.services.projects.locking import check_version, claim_version
from jixiao.services.scope import Action, authorize, can, visible_org_ids
from jixiao.services.types import MAX_ID

MAX_EXAMPLES = 10
MIN_PEERS = 5  # a median of fewer targets is not compared with (department figures)


def met_rate(met: int, evaluated: int) -> MetRate:
    rate = None if evaluated == 0 else (Decimal(met) * 100 / Decimal(evaluated))
    return MetRate(met=met, evaluated=evaluated, rate=None if rate is None else _pct(rate))


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def target_text(op: Operator | None, value: Decimal | None, unit: str | None) -> str | None:
    """``≥95%`` from its parts; None without a value."""
    if value is None:
        return None
    symbol = "" if op in (None, Operator.EQ) else op.label
    return f"{symbol}{plain(value)}{unit or ''}"


# --- suggestions and search ------------------------------------------------------------------


def suggest(
    session: Session, actor: Principal, text: str, level2: str | None, limit: int = 5
) -> list[LibrarySuggestion]:
    """Entries for a name being typed: same level-2 category first, best matches next."""
    authorize(session, actor, Action.VIEW)
    q = search.query_key(text)
    if not q:
        return []
    found = search.candidates(session, LibraryFilters(q=q[:100]), level2)
    return [_suggestion(e) for e in search.rank(found, q, level2)[: max(1, min(limit, 20))]]


def _suggestion(e: LibraryEntry) -> LibrarySuggestion:
    return LibrarySuggestion(
        id=e.id,
        name=e.name,
        level1_name=e.level1_name,
        level2_name=e.level2_name,
        unit=e.unit,
        op=e.op,
        direction=e.direction,
        explanation=e.explanation,
        typical=e.typical,
        typical_text=target_text(e.op, e.typical, e.unit),
        met_rate=met_rate(e.met_count, e.evaluated_count).rate,
        count=e.occurrence_count,
        recommended=e.recommended,
    )


def search_entries(
    session: Session, actor: Principal, filters: LibraryFilters, params: PageParams
) -> Page[EntrySummary]:
    """One page of entries: by relevance when text is given, else most used first."""
    authorize(session, actor, Action.VIEW)
    q = search.query_key(filters.q or "")
    if q:
        found = search.rank(search.candidates(session, filters, filters.level2), q, None)
        items = found[params.offset : params.offset + params.size]
        return Page(items=[_summary(e) for e in items], total=len(found), **_page(params))
    base = search.filtered(session, select(LibraryEntry), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.scalars(
        base.order_by(
            LibraryEntry.recommended.desc(), LibraryEntry.occurrence_count.desc(), LibraryEntry.id
        )
        .offset(params.offset)
        .limit(params.size)
    )
    return Page(items=[_summary(e) for e in rows], total=total, **_page(params))


def _page(params: PageParams) -> dict[str, int]:
    return {"page": params.page, "size": params.size}


def _summary(e: LibraryEntry) -> EntrySummary:
    return EntrySummary(
        id=e.id,
        name=e.name,
        level1_name=e.level1_name,
        level2_name=e.level2_name,
        unit=e.unit,
        op=e.op,
        direction=e.direction,
        count=e.occurrence_count,
        recommended=e.recommended,
        sectors=list(e.sectors or []),
        explanation=e.explanation,
    )


def level2_names(session: Session, actor: Principal) -> list[str]:
    """The level-2 categories of the library, for filters and pickers."""
    authorize(session, actor, Action.VIEW)
    rows = session.execute(
        select(LibraryEntry.level2_name).where(LibraryEntry.level2_name.is_not(None)).distinct()
    )
    return sorted(name for (name,) in rows if name)


# --- one entry ---------------------------------------------------------------------------------


def _entry(session: Session, entry_id: int) -> LibraryEntry:
    entry = session.get(LibraryEntry, entry_id) if 1 <= entry_id <= MAX_ID else None
    if entry is None:
        raise NotFound("指标库条目不存在")
    return entry


def get_entry(session: Session, actor: Principal, entry_id: int) -> EntryDetail:
    authorize(session, actor, Action.VIEW)
    entry = _entry(session, entry_id)
    return EntryDetail(
        **_summary(entry).model_dump(),
        basis=entry.basis,
        scoring=entry.scoring,
        reference_value=entry.reference_value,
        curated_at=entry.curated_at,
        version=entry.version,
        peers=_peer_stats(session, actor, entry, entry.unit, None),
        may_curate=can(actor, Action.CURATE_LIBRARY),
    )


def curate(session: Session, actor: Principal, entry_id: int, data: Curation) -> EntryDetail:
    """Set an entry's curated fields (推荐, 行业/领域, 指标解释, 设定依据, 评分标准, 参考值);
    of concurrent editors of one version exactly one wins, the others get 409."""
    authorize(session, actor, Action.CURATE_LIBRARY)
    entry = _entry(session, entry_id)
    check_version(entry.version, data.version, "指标库条目")
    before = _curated(entry)
    values = curated_values(data.model_dump(exclude={"version"}))
    claim_version(session, LibraryEntry, entry.id, data.version, "指标库条目", **values)
    session.refresh(entry)
    audit.record(
        session,
        actor,
        "library.curate",
        ("library_entry", entry.id),
        before=before,
        after=_curated(entry),
    )
    return get_entry(session, actor, entry_id)


def curated_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Curated fields as stored: text trimmed (empty → None), sectors de-duplicated."""
    out: dict[str, Any] = {"curated_at": utcnow()}
    for name, value in fields.items():
        if name == "sectors":
            value = list(dict.fromkeys(s.strip() for s in value if s.strip()))
        elif isinstance(value, str):
            value = value.strip() or None
        out[name] = value
    return out


def _curated(entry: LibraryEntry) -> dict[str, Any]:
    return {
        "recommended": entry.recommended,
        "sectors": list(entry.sectors or []),
        "explanation": entry.explanation,
        "basis": entry.basis,
        "scoring": entry.scoring,
        "reference_value": entry.reference_value,
    }


# --- peers -------------------------------------------------------------------------------------


def peers(
    session: Session,
    actor: Principal,
    entry: int | tuple[str, str | None],
    *,
    unit: str | None = None,
    exclude_project_id: int | None = None,
) -> PeerStats:
    """Peers' targets of an entry (by id) or of a name in a unit (``(name, unit)``, every
    level-2 category). ``unit`` None with an id: the entry's usual unit. ``exclude_project_id``
    leaves one project (the one being looked at) out of its own peers."""
    authorize(session, actor, Action.VIEW)
    if isinstance(entry, int):
        row = _entry(session, entry)
        return _peer_stats(session, actor, row, unit or row.unit, exclude_project_id)
    name, by_unit = entry
    where = LibraryOccurrence.name_key == name_key(name)
    return _stats(session, actor, None, name, where, by_unit, exclude_project_id)


def _peer_stats(
    session: Session, actor: Principal, e: LibraryEntry, unit: str | None, exclude: int | None
) -> PeerStats:
    where = LibraryOccurrence.entry_id == e.id
    return _stats(session, actor, e.id, e.name, where, unit, exclude)


def _stats(
    session: Session,
    actor: Principal,
    entry_id: int | None,
    name: str,
    where: Any,
    unit: str | None,
    exclude: int | None,
) -> PeerStats:
    query = select(LibraryOccurrence).where(where)
    if exclude is not None:
        query = query.where(LibraryOccurrence.project_id != exclude)
    rows = list(session.scalars(query))
    numbers = [r for r in rows if r.kind is TargetKind.QUANTITATIVE and r.value is not None]
    in_unit = [r.value for r in numbers if r.unit == unit and r.value is not None]
    dist = distribution(in_unit, unit)
    others = Counter(r.unit for r in numbers if r.unit != unit)
    directed = [r.direction for r in rows if r.direction is not Direction.NEUTRAL]
    return PeerStats(
        entry_id=entry_id,
        name=name,
        unit=unit,
        direction=most_common(directed) or Direction.NEUTRAL,
        count=len(rows),
        numeric_count=len(in_unit),
        median=dist.median if dist else None,
        p25=dist.p25 if dist else None,
        p75=dist.p75 if dist else None,
        minimum=dist.minimum if dist else None,
        maximum=dist.maximum if dist else None,
        other_units=[UnitCount(unit=u, count=c) for u, c in others.most_common()],
        wordings=[
            Wording(text=t, count=c)
            for t, c in common_wordings([r.raw for r in rows if r.kind is TargetKind.QUALITATIVE])
        ],
        met=met_rate(sum(1 for r in rows if r.met), sum(1 for r in rows if r.met is not None)),
        examples=_examples(session, actor, rows),
        values=list(dist.values) if dist else [],
    )


def _examples(
    session: Session, actor: Principal, rows: list[LibraryOccurrence]
) -> list[PeerExample]:
    visible = visible_org_ids(session, actor)
    mine = [r for r in rows if visible is None or r.org_id in visible][:MAX_EXAMPLES]
    if not mine:
        return []
    names = _names(session, Project, {r.project_id for r in mine})
    orgs = _names(session, Organisation, {r.org_id for r in mine})
    return [
        PeerExample(
            project_id=r.project_id,
            project_name=names.get(r.project_id, ""),
            org_name=orgs.get(r.org_id, ""),
            year=r.year,
            raw=r.raw,
        )
        for r in mine
    ]


def _names(
    session: Session, model: type[Project] | type[Organisation], ids: set[int]
) -> dict[int, str]:
    rows = session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return {row_id: name for row_id, name in rows}


def rank_of(value: Decimal, stats: PeerStats) -> int | None:
    """Where ``value`` sits among the peers' targets, as a whole percentage: 80 means
    "高于 80% 的同类目标" (ties count half). None when there are no peers in the unit."""
    dist = distribution(stats.values, stats.unit)
    if dist is None:
        return None
    return int(exact_rank(value, dist).quantize(Decimal(1)))


# --- departments -------------------------------------------------------------------------------


def department_ease(
    session: Session, actor: Principal, year: int | None = None
) -> list[DepartmentEase]:
    """Per visible department: its quantitative targets compared with the median of all
    departments' targets of the same entry and unit (entries with at least
    :data:`MIN_PEERS` targets)."""
    authorize(session, actor, Action.VIEW)
    query = select(
        LibraryOccurrence.entry_id,
        LibraryOccurrence.unit,
        LibraryOccurrence.value,
        LibraryOccurrence.direction,
        LibraryOccurrence.department_id,
    ).where(LibraryOccurrence.kind == TargetKind.QUANTITATIVE, LibraryOccurrence.value.is_not(None))
    if year is not None:
        query = query.where(LibraryOccurrence.year == year)
    rows = list(session.execute(query).all())
    groups: dict[tuple[int, str | None], list[Decimal]] = defaultdict(list)
    for r in rows:
        groups[(r.entry_id, r.unit)].append(r.value)
    medians = {}
    for key, values in groups.items():
        dist = distribution(values, key[1])
        if dist is not None and dist.count >= MIN_PEERS:
            medians[key] = dist.median
    return _by_department(session, actor, rows, medians)


def _by_department(
    session: Session, actor: Principal, rows: list[Any], medians: dict[Any, Decimal]
) -> list[DepartmentEase]:
    visible = visible_org_ids(session, actor)
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        median = medians.get((r.entry_id, r.unit))
        if median is None or r.department_id is None:
            continue
        if visible is not None and r.department_id not in visible:
            continue
        t = tally[r.department_id]
        t[0] += 1
        t[1] += r.value < median
        easier = r.value > median if r.direction is Direction.REVERSE else r.value < median
        t[2] += easier
    names = _names(session, Organisation, set(tally))
    return [
        DepartmentEase(
            department_id=d,
            department_name=names.get(d, ""),
            compared=t[0],
            below_median=t[1],
            easier_than_median=t[2],
        )
        for d, t in sorted(tally.items(), key=lambda kv: names.get(kv[0], ""))
    ]
