"""The library as an Excel workbook: export it, import one (preview, then confirm).

Export: every entry, one row each (``jixiao.export.layouts.library``), for whoever may view the
library. Import (管理员, 财政审核): a workbook read through the readers registry, its header
found by its labels. A row whose entry (三级指标 under its 二级指标, as the library keys them)
exists sets the curated fields its sheet has a column for (推荐, 行业/领域, 指标解释, 设定依据,
计算公式/评分标准, 参考值); a column the sheet lacks is left alone, an empty cell empties the
field. A row with no entry creates one (curated, without occurrences) with its 一级指标,
计量单位 and 指标方向 too.

:func:`preview_book` writes nothing and returns a ``token`` naming what it saw: the file and,
for each entry it would change, the entry's version. :func:`apply_book` recomputes the plan and
applies it only when its token is the same, claiming each entry's version (of two confirmations
of one preview exactly one wins, the other gets 409). A file with any refused row is not
applied at all; everything else happens in the caller's transaction (all or nothing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import LibraryEntry
from jixiao.domain.indicator import LevelRef
from jixiao.domain.library import category_key, name_key
from jixiao.domain.library_book import CURATED, LABELS, BookColumn, BookRow
from jixiao.errors import JixiaoError
from jixiao.export.layouts.library import library_sheet
from jixiao.ingest import readers
from jixiao.ingest.library_book import BookLine, LibraryBook, read_library_book
from jixiao.ingest.limits import DEFAULT_LIMITS
from jixiao.scoring.classify import level2_key
from jixiao.services import audit
from jixiao.services.errors import StaleVersion, UnreadableUpload, ValidationFailed
from jixiao.services.library.schemas import BookChange, BookPreview, BookResult, FieldChange
from jixiao.services.library.service import curated_values, met_rate
from jixiao.services.principal import Principal
from jixiao.services.projects.locking import claim_version
from jixiao.services.scope import Action, authorize

WORKBOOK_KINDS = ("xlsx", "xls", "ods")
BOOK_FILENAME = "绩效指标库.xlsx"
CHUNK = 500  # name keys per query
#: Curated columns and the entry attribute each sets.
FIELDS: dict[BookColumn, str] = {c: c.value for c in CURATED}


# --- export ------------------------------------------------------------------------------------


def export_book(session: Session, actor: Principal) -> bytes:
    """Every entry of the library as one worksheet (xlsx bytes)."""
    from jixiao.export.excel import xlsx_bytes  # openpyxl: only when a workbook is written

    authorize(session, actor, Action.VIEW)
    entries = session.scalars(
        select(LibraryEntry).order_by(
            LibraryEntry.level1_name,
            LibraryEntry.level2_key,
            LibraryEntry.recommended.desc(),
            LibraryEntry.occurrence_count.desc(),
            LibraryEntry.name,
            LibraryEntry.id,
        )
    )
    return xlsx_bytes([library_sheet([book_row(e) for e in entries])])


def book_row(e: LibraryEntry) -> BookRow:
    return BookRow(
        level2=e.level2_name or "",
        name=e.name,
        level1=e.level1_name,
        explanation=e.explanation,
        scoring=e.scoring,
        reference_value=e.reference_value,
        unit=e.unit,
        direction=e.direction,
        recommended=e.recommended,
        sectors=tuple(e.sectors or ()),
        basis=e.basis,
        count=e.occurrence_count,
        typical=e.typical,
        met_rate=met_rate(e.met_count, e.evaluated_count).rate,
    )


# --- reading -----------------------------------------------------------------------------------


def read_book(data: bytes, filename: str) -> LibraryBook:
    """The workbook in ``data``; UnreadableUpload (one line) for anything else."""
    if not data:
        raise UnreadableUpload("文件为空", fields={"file": "文件为空"})
    kind = readers.kind_of(data, filename)
    if kind is None or kind.name not in WORKBOOK_KINDS:
        message = "指标库须为 Excel 工作簿（.xlsx/.xls）或 OpenDocument 表格（.ods）"
        raise UnreadableUpload(message, fields={"file": message})
    options = readers.ReadOptions(keep_lines=True)
    try:
        tables = readers.read_tables(data, filename, DEFAULT_LIMITS, options)
        return read_library_book(tables, filename)
    except JixiaoError as exc:
        message = str(exc).splitlines()[0] or "无法读取文件"
        raise UnreadableUpload(message, fields={"file": message}) from None


# --- the plan ----------------------------------------------------------------------------------


def entry_keys(name: str, level2: str) -> tuple[str, str]:
    """The library's key of an indicator: (name key, level-2 category key)."""
    return name_key(name), category_key(level2_key(LevelRef(None, level2)))


@dataclass
class _Update:
    line: BookLine
    entry: LibraryEntry
    values: dict[str, Any]
    changes: list[FieldChange]


@dataclass
class _Plan:
    new: list[tuple[BookLine, tuple[str, str]]] = field(default_factory=list)
    updated: list[_Update] = field(default_factory=list)
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)

    def token(self, sha: str) -> str:
        seen = {
            "file": sha,
            "new": [list(key) for _, key in self.new],
            "updated": [[u.entry.id, u.entry.version] for u in self.updated],
        }
        return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()


def _plan(session: Session, book: LibraryBook) -> _Plan:
    plan = _Plan(refused=[r.message for r in book.refused])
    first: dict[tuple[str, str], str] = {}
    keyed = [(line, entry_keys(line.row.name, line.row.level2)) for line in book.lines]
    stored = _entries(session, {key[0] for _, key in keyed if key[0]})
    for line, key in keyed:
        if not key[0]:
            plan.refused.append(f"{line.where}：三级指标名称“{line.row.name}”没有可识别的文字")
            continue
        if key in first:
            plan.refused.append(f"{line.where}：与{first[key]}是同一指标（{line.row.name}）")
            continue
        first[key] = line.where
        entry = stored.get(key)
        if entry is None:
            plan.new.append((line, key))
            continue
        values, changes = _differences(entry, line)
        if changes:
            plan.updated.append(_Update(line, entry, values, changes))
        else:
            plan.unchanged += 1
    return plan


def _entries(session: Session, names: set[str]) -> dict[tuple[str, str], LibraryEntry]:
    """The stored entries with one of these name keys, by (name key, level-2 key)."""
    ordered = sorted(names)
    found: dict[tuple[str, str], LibraryEntry] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for entry in session.scalars(select(LibraryEntry).where(LibraryEntry.name_key.in_(chunk))):
            found[(entry.name_key, entry.level2_key)] = entry
    return found


def _incoming(row: BookRow, columns: frozenset[BookColumn]) -> dict[str, Any]:
    """The curated fields the row's sheet has a column for, normalised as stored."""
    raw = {FIELDS[c]: getattr(row, FIELDS[c]) for c in CURATED if c in columns}
    if "sectors" in raw:
        raw["sectors"] = list(raw["sectors"])
    stored = curated_values(raw)
    stored.pop("curated_at")
    return stored


def _differences(entry: LibraryEntry, line: BookLine) -> tuple[dict[str, Any], list[FieldChange]]:
    incoming = _incoming(line.row, line.columns)
    changes = []
    for column in CURATED:
        name = FIELDS[column]
        if name not in incoming:
            continue
        before = list(entry.sectors or []) if name == "sectors" else getattr(entry, name)
        if before != incoming[name]:
            changes.append(
                FieldChange(
                    field=name,
                    label=LABELS[column],
                    before=_shown(before),
                    after=_shown(incoming[name]),
                )
            )
    return incoming, changes


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    return value or ""


# --- preview and confirm -----------------------------------------------------------------------


def preview_book(session: Session, actor: Principal, data: bytes, filename: str) -> BookPreview:
    """What importing the workbook would change; nothing is written."""
    authorize(session, actor, Action.CURATE_LIBRARY)
    book = read_book(data, filename)
    plan = _plan(session, book)
    sha = hashlib.sha256(data).hexdigest()
    return BookPreview(
        sha256=sha,
        filename=filename,
        token=plan.token(sha),
        rows=len(book.lines),
        new=[_change(line, None, []) for line, _ in plan.new],
        updated=[_change(u.line, u.entry.id, u.changes) for u in plan.updated],
        unchanged=plan.unchanged,
        refused=plan.refused,
        may_confirm=not plan.refused and bool(plan.new or plan.updated),
    )


def _change(line: BookLine, entry_id: int | None, changes: list[FieldChange]) -> BookChange:
    return BookChange(
        where=line.where,
        level2=line.row.level2,
        name=line.row.name,
        entry_id=entry_id,
        changes=changes,
    )


def apply_book(
    session: Session, actor: Principal, data: bytes, filename: str, token: str
) -> BookResult:
    """Import the previewed workbook (see the module docstring); 409 when the library changed
    since the preview named by ``token``, 422 when a row is refused."""
    authorize(session, actor, Action.CURATE_LIBRARY)
    book = read_book(data, filename)
    plan = _plan(session, book)
    if plan.refused:
        message = f"文件中有 {len(plan.refused)} 行无法导入，未导入任何内容；请修改后重新上传"
        raise ValidationFailed(message, fields={"file": message})
    if plan.token(hashlib.sha256(data).hexdigest()) != token:
        raise _stale()
    reason = f"导入指标库文件“{filename[:200]}”"
    for update in plan.updated:
        _update(session, actor, update, reason)
    for line, key in plan.new:
        _create(session, actor, line, key, reason)
    session.flush()
    return BookResult(created=len(plan.new), updated=len(plan.updated), unchanged=plan.unchanged)


def _stale() -> StaleVersion:
    return StaleVersion("指标库在预览后已有变动（已导入或他人修改了条目），请重新上传预览")


def _update(session: Session, actor: Principal, update: _Update, reason: str) -> None:
    entry = update.entry
    before = {c.field: _stored(entry, c.field) for c in update.changes}
    values = {**update.values, "curated_at": utcnow()}
    try:
        claim_version(session, LibraryEntry, entry.id, entry.version, "指标库条目", **values)
    except StaleVersion:
        raise _stale() from None
    after = {c.field: update.values[c.field] for c in update.changes}
    audit.record(
        session,
        actor,
        "library.curate",
        ("library_entry", entry.id),
        before=before,
        after=after,
        reason=reason,
    )


def _stored(entry: LibraryEntry, name: str) -> Any:
    return list(entry.sectors or []) if name == "sectors" else getattr(entry, name)


def _create(
    session: Session, actor: Principal, line: BookLine, key: tuple[str, str], reason: str
) -> None:
    row = line.row
    curated = {**_incoming(row, line.columns), "curated_at": utcnow()}
    fields = {
        "name": row.name,
        "level1_name": row.level1,
        "level2_name": row.level2,
        "unit": row.unit,
        "direction": row.direction,
        **curated,
    }
    try:
        with session.begin_nested():
            entry = LibraryEntry(name_key=key[0], level2_key=key[1], **fields)
            session.add(entry)
            session.flush()
    except IntegrityError:
        raise _stale() from None
    after = {k: v for k, v in fields.items() if k != "curated_at"}
    audit.record(
        session,
        actor,
        "library.create",
        ("library_entry", entry.id),
        after=after,
        reason=reason,
    )
