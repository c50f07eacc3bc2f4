"""Import use-cases: :func:`preview_import` (no writes) and :func:`apply_import`.

``apply_import`` writes everything — the document row, new and changed projects with their
funding, goals, indicators, repairs and warnings, the review findings, versions and audit
entries — in the caller's transaction: the caller commits once, so an import is all or nothing.
Re-importing a file with the same SHA-256 for the same department and year writes nothing;
the same file may be imported for another year or department (a template re-used). A newer
table of the same department and year is applied as differences: added projects are created,
changed ones get a new edition (the previous one stays among the versions), removed ones are
deleted. Submitted or approved projects are locked: an import that would change them is
refused as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from jixiao.db.bulk import insert_rows
from jixiao.db.mapping import project_to_domain, warning_values
from jixiao.db.models import (
    FiscalYear,
    ImportedDocument,
    Indicator,
    Organisation,
    Project,
    WarningRow,
)
from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.project import Project as DomainProject
from jixiao.domain.provenance import ParseWarning, Repair
from jixiao.ingest.corrections import CORRECTED, MAX_CORRECTIONS, MAX_REF, MAX_TEXT
from jixiao.review.findings import ReviewReport
from jixiao.services import audit
from jixiao.services.errors import Conflict, Forbidden, Locked, StaleVersion, ValidationFailed
from jixiao.services.imports.diff import ImportDiff, compare
from jixiao.services.imports.reader import ReadFn, read_upload, sha256, source_kind
from jixiao.services.imports.schemas import (
    DoubtfulCell,
    FindingPreview,
    ImportPreview,
    ImportResult,
    ProjectPreview,
    SkippedProject,
)
from jixiao.services.imports.write import Incoming, delete_projects, write_projects
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import Principal
from jixiao.services.projects.locking import claim_project, is_locked
from jixiao.services.reviews.engine import ReviewFn, default_reviewer
from jixiao.services.reviews.service import store_findings
from jixiao.services.scope import Action, authorize, authorize_new_department


@dataclass
class Upload:
    """An uploaded file and the options given with it (``--year``, ``--department``,
    ``--allow-incomplete``: store a table that was cut short, its complete rows only), and a
    person's ``corrections`` of doubtful cells from the preview (cell ref → text)."""

    data: bytes
    filename: str
    year: int | None = None
    department: str | None = None
    allow_incomplete: bool = False
    corrections: dict[str, str] = field(default_factory=dict)


def corrections(pairs: Iterable[tuple[str, str]], field_name: str) -> dict[str, str]:
    """A person's corrections (cell ref, typed text) as ref → text for :class:`Upload`, from
    the preview page's fields or the API's ``corrections``; pairs without a ref are left out.
    Too many, or a ref or text that is too long, is refused (422 naming ``field_name``)."""
    out = {ref: text for ref, text in pairs if ref}
    too_long = any(len(ref) > MAX_REF or len(text) > MAX_TEXT for ref, text in out.items())
    if len(out) > MAX_CORRECTIONS or too_long:
        message = (
            f"更正的单元格无效：至多 {MAX_CORRECTIONS} 个，单元格名称不超过 {MAX_REF} 字，"
            f"文字不超过 {MAX_TEXT} 字，请重新预览"
        )
        raise ValidationFailed(message, fields={field_name: "无效"})
    return out


@dataclass
class _Prepared:
    document: Document
    sha256: str
    department: str
    year: int
    unit: MoneyUnit
    report: ReviewReport


def _prepare(upload: Upload, reader: ReadFn | None, reviewer: ReviewFn | None) -> _Prepared:
    document = read_upload(upload.data, upload.filename, reader, upload.corrections)
    department = (upload.department or document.department or "").strip()
    year = upload.year or document.year
    errors = {}
    if not department:
        errors["department"] = "无法从表中识别部门，请指定部门"
    if year is None:
        errors["year"] = "无法从表中识别年度，请指定年度"
    if not document.projects:
        errors["file"] = "表中没有项目"
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    assert year is not None
    _dedupe_names(document.projects)
    report = (reviewer or default_reviewer())(document)
    return _Prepared(
        document, sha256(upload.data), department, year, document.unit or MoneyUnit.WAN_YUAN, report
    )


def _dedupe_names(projects: list[DomainProject]) -> None:
    """Give repeated project names a suffix (recorded as a repair) so each name is unique."""
    seen: dict[str, int] = {}
    for project in projects:
        count = seen.get(project.name, 0) + 1
        seen[project.name] = count
        if count > 1:
            new = f"{project.name}（{count}）"
            project.repairs.append(
                Repair("name", project.name, new, "同一表内项目名称重复，加序号区分")
            )
            project.name = new


def _department_for(
    session: Session, actor: Principal, name: str, create: bool
) -> Organisation | None:
    authorize(session, actor, Action.IMPORT)
    org = orgs.find_department(session, name)
    if org is not None:
        authorize(session, actor, Action.IMPORT, org.id)
        return org
    authorize_new_department(session, actor, name)
    return orgs.add_department(session, actor, name) if create else None


def _stored(session: Session, org_id: int, year_id: int) -> list[Project]:
    return list(
        session.scalars(
            select(Project)
            .where(Project.org_id == org_id, Project.fiscal_year_id == year_id)
            .options(
                selectinload(Project.funding),
                selectinload(Project.goals),
                selectinload(Project.indicators).selectinload(Indicator.targets),
            )
            .order_by(Project.id)
        )
    )


def _locked(stored: list[Project], diff: ImportDiff) -> list[SkippedProject]:
    """Submitted or approved projects the new table would change or remove."""
    changed, removed = {c.name for c in diff.changed}, set(diff.removed)
    out = []
    for p in stored:
        if not is_locked(p) or p.name not in changed | removed:
            continue
        what = "新表中已无此项目，未删除" if p.name in removed else "未按新表修改"
        out.append(
            SkippedProject(
                name=p.name,
                status=p.status,
                reason=f"项目当前为“{p.status.label}”，{what}（如需更新，请先退回或发起调整）",
            )
        )
    return out


def _blocked(stored: list[Project], diff: ImportDiff) -> list[str]:
    return [f"{s.name}（{s.status.label}）" for s in _locked(stored, diff)]


def _without(diff: ImportDiff, skipped: list[SkippedProject]) -> ImportDiff:
    names = {s.name for s in skipped}
    return ImportDiff(
        added=diff.added,
        removed=[n for n in diff.removed if n not in names],
        changed=[c for c in diff.changed if c.name not in names],
        unchanged=diff.unchanged,
    )


def _same_file(session: Session, sha: str, org_id: int, year_id: int) -> ImportedDocument | None:
    """This very file, imported before for this department and year (within the actor's scope)."""
    return session.scalar(
        select(ImportedDocument).where(
            ImportedDocument.sha256 == sha,
            ImportedDocument.org_id == org_id,
            ImportedDocument.fiscal_year_id == year_id,
        )
    )


def _nothing_changes(prep: _Prepared) -> ImportDiff:
    return ImportDiff(
        added=[], removed=[], changed=[], unchanged=[p.name for p in prep.document.projects]
    )


def preview_import(
    session: Session,
    actor: Principal,
    upload: Upload,
    reader: ReadFn | None = None,
    reviewer: ReviewFn | None = None,
) -> ImportPreview:
    """Read, review and compare with what is stored — without writing anything."""
    authorize(session, actor, Action.IMPORT)  # before the file is read
    prep = _prepare(upload, reader, reviewer)
    org = _department_for(session, actor, prep.department, create=False)
    stored: list[Project] = []
    existing: ImportedDocument | None = None
    year_row = session.scalar(select(FiscalYear).where(FiscalYear.year == prep.year))
    if org is not None and year_row is not None:
        stored = _stored(session, org.id, year_row.id)
        existing = _same_file(session, prep.sha256, org.id, year_row.id)
    diff = (
        _nothing_changes(prep)
        if existing is not None
        else compare([project_to_domain(p) for p in stored], prep.document.projects)
    )
    return ImportPreview(
        sha256=prep.sha256,
        filename=upload.filename,
        already_imported_document_id=existing.id if existing is not None else None,
        department=prep.department,
        year=prep.year,
        money_unit=prep.unit,
        projects=[
            _project_preview(i, p, prep.report) for i, p in enumerate(prep.document.projects)
        ],
        warnings=[w.message for w in prep.document.warnings],
        complete=prep.document.complete,
        incomplete=None if prep.document.complete else _incomplete_message(prep.document),
        findings=[
            FindingPreview(
                project=f.project,
                indicator=f.indicator,
                rule=f.rule,
                severity=f.severity,
                message=f.message,
                suggestion=f.suggestion,
            )
            for f in prep.report.findings
        ],
        diff=diff,
        blocked=_blocked(stored, diff),
        doubtful=doubtful_cells(prep.document),
    )


def doubtful_cells(document: Document) -> list[DoubtfulCell]:
    """The cells the document's warnings name with a box on their page, each once, with
    every reason given for it, in the order of the warnings."""
    found: dict[str, DoubtfulCell] = {}
    named: list[tuple[ParseWarning, str | None]] = [(w, None) for w in document.warnings]
    named += [(w, p.name) for p in document.projects for w in p.warnings]
    for warning, project in named:
        for box in warning.source.boxes:
            if not box.cell or box.text is None:
                continue
            cell = found.setdefault(
                box.cell,
                DoubtfulCell(
                    ref=box.cell,
                    page=box.page,
                    box=box.box,
                    text=box.text,
                    reasons=[],
                    project=project,
                ),
            )
            if warning.message not in cell.reasons:
                cell.reasons.append(warning.message)
    return list(found.values())


def _incomplete_message(document: Document) -> str:
    """Why a document is incomplete: its ``incomplete`` warning, else a generic sentence."""
    found = next((w.message for w in document.warnings if w.code == "incomplete"), None)
    return found or "表格不完整（文件被截断）"


def _project_preview(index: int, p: DomainProject, report: ReviewReport) -> ProjectPreview:
    return ProjectPreview(
        name=p.name,
        source=p.source.describe(),
        total=p.amounts.total,
        indicator_count=len(p.indicators),
        repairs=len(p.repairs),
        warnings=len(p.warnings),
        findings=sum(1 for f in report.findings if f.project_index == index),
    )


def apply_import(
    session: Session,
    actor: Principal,
    upload: Upload,
    reader: ReadFn | None = None,
    reviewer: ReviewFn | None = None,
    skip_locked: bool = False,
) -> ImportResult:
    """Store the table (see module docstring).

    ``skip_locked`` imports the rest when some submitted or approved projects would change:
    those are left as they are and listed in ``skipped`` with the reason.
    """
    authorize(session, actor, Action.IMPORT)  # before the file is read
    prep = _prepare(upload, reader, reviewer)
    corrected = _sign_corrections(prep.document, actor)
    if not prep.document.complete and not upload.allow_incomplete:
        message = (
            f"{_incomplete_message(prep.document)}。确认只导入其中完整的行，"
            "请勾选“导入不完整的表”（命令行：--allow-incomplete）"
        )
        raise ValidationFailed(message, fields={"allow_incomplete": message})
    org = _department_for(session, actor, prep.department, create=True)
    assert org is not None
    year = orgs.fiscal_year(session, prep.year)
    existing = _same_file(session, prep.sha256, org.id, year.id)
    if existing is not None:
        return ImportResult(
            document_id=existing.id,
            unchanged_file=True,
            department_id=org.id,
            year=prep.year,
            diff=_nothing_changes(prep),
            findings=0,
            warnings=[w.message for w in prep.document.warnings],
        )
    stored = _stored(session, org.id, year.id)
    diff = compare([project_to_domain(p) for p in stored], prep.document.projects)
    skipped = _locked(stored, diff)
    if skipped and not skip_locked:
        names = "、".join(f"{x.name}（{x.status.label}）" for x in skipped)
        raise Locked(
            f"以下项目已提交或已批复，不能通过导入修改（请先退回或发起调整），"
            f"也可以跳过它们只导入其余项目：{names}"
        )
    diff = _without(diff, skipped)
    by_name = {p.name: p for p in stored}
    for name in sorted({c.name for c in diff.changed} | set(diff.removed)):
        _claim(session, by_name[name])
    doc_row = _document_row(session, actor, upload, prep, org.id, year.id)
    touched = set(diff.added) | {c.name for c in diff.changed}
    incoming = [
        Incoming(i, p, by_name.get(p.name))
        for i, p in enumerate(prep.document.projects)
        if p.name in touched
    ]
    written = write_projects(session, actor, doc_row, prep.unit, incoming, prep.report)
    replaced = {i.stored.id for i in incoming if i.stored is not None}
    findings = store_findings(session, written, prep.report, replace=replaced)
    delete_projects(session, actor, [by_name[name] for name in diff.removed])
    doc_row.summary = {
        "added": diff.added,
        "removed": diff.removed,
        "changed": [c.name for c in diff.changed],
        "skipped": [x.name for x in skipped],
        "findings": findings,
    }
    session.flush()
    audit.record(session, actor, "import.apply", ("document", doc_row.id), after=doc_row.summary)
    _audit_corrections(session, actor, doc_row.id, corrected)
    return ImportResult(
        document_id=doc_row.id,
        unchanged_file=False,
        department_id=org.id,
        year=prep.year,
        diff=diff,
        findings=findings,
        skipped=skipped,
        warnings=[w.message for w in prep.document.warnings],
    )


def create_projects(
    session: Session,
    actor: Principal,
    upload: Upload,
    document: Document,
    org: Organisation,
    year: int,
    reviewer: ReviewFn | None = None,
) -> list[int]:
    """Create the projects of ``document`` — read from ``upload`` but not a department table
    (a published self-evaluation's projects) — in ``org`` and ``year``, as an import creates
    added projects: funding, goals, indicators, targets, repairs, warnings, review findings,
    version 1 and a ``project.import_create`` audit entry naming the file each, and one
    ``import.apply`` entry for the file. Returns the new ids in the document's order.

    Authorization as for imports: the actor must import into and create projects in ``org``.
    Every name must be new in ``org`` and ``year``: the organisation is held first, so a second
    confirmation of the same preview waits for the first and then finds its projects — it is
    refused with Conflict, nothing written. The file's document row is shared with an earlier
    creation from the same file for the same organisation and year.
    """
    try:
        authorize(session, actor, Action.IMPORT, org.id)
        authorize(session, actor, Action.CREATE_PROJECT, org.id)
    except Forbidden as exc:
        raise Forbidden(f"无权在“{org.name}”新建项目：{exc.message}") from exc
    if not document.projects:
        return []
    unit = document.unit or MoneyUnit.WAN_YUAN
    report = (reviewer or default_reviewer())(document)
    prep = _Prepared(document, sha256(upload.data), org.name, year, unit, report)
    fiscal_year = orgs.fiscal_year(session, year)
    _hold(session, org.id)
    names = [p.name for p in document.projects]
    taken = session.scalars(
        select(Project.name).where(
            Project.org_id == org.id,
            Project.fiscal_year_id == fiscal_year.id,
            Project.name.in_(names),
        )
    ).all()
    if taken:
        raise Conflict(
            f"{org.name} {year} 年度已有项目“{'、'.join(sorted(taken))}”（可能刚由他人导入），"
            "未新建，本次未写入任何数据，请重新上传预览"
        )
    doc_row = _same_file(session, prep.sha256, org.id, fiscal_year.id)
    if doc_row is None:
        doc_row = _document_row(session, actor, upload, prep, org.id, fiscal_year.id)
    incoming = [Incoming(i, p) for i, p in enumerate(document.projects)]
    written = write_projects(session, actor, doc_row, unit, incoming, report)
    findings = store_findings(session, written, report)
    audit.record(
        session,
        actor,
        "import.apply",
        ("document", doc_row.id),
        after={"added": names, "findings": findings},
        reason=f"导入 {upload.filename}",
    )
    return [written[i].project_id for i in range(len(document.projects))]


def _hold(session: Session, org_id: int) -> None:
    """Hold the organisation until commit: a no-op update locks its row on PostgreSQL and
    takes the database's write lock on SQLite, so concurrent creations in it run one after
    the other and each sees the projects the one before created."""
    session.execute(
        update(Organisation)
        .where(Organisation.id == org_id)
        .values(updated_at=Organisation.updated_at)
        .execution_options(synchronize_session=False)
    )


def _sign_corrections(document: Document, actor: Principal) -> list[Repair]:
    """The person's corrections among the document's repairs, each now naming who made it."""
    out = []
    for project in document.projects:
        for i, repair in enumerate(project.repairs):
            if repair.reason == CORRECTED:
                signed = Repair(repair.field, repair.before, repair.after, _signed(actor))
                project.repairs[i] = signed
                out.append(signed)
    return out


def _signed(actor: Principal) -> str:
    return f"{CORRECTED}（{actor.label}）"


def _audit_corrections(
    session: Session, actor: Principal, document_id: int, corrected: list[Repair]
) -> None:
    """One audit entry per corrected cell: who, the cell, the text read and the text typed."""
    for repair in corrected:
        audit.record(
            session,
            actor,
            "import.correct",
            ("document", document_id),
            before={"cell": repair.field, "text": repair.before},
            after={"cell": repair.field, "text": repair.after},
            reason=CORRECTED,
        )


def _document_row(
    session: Session, actor: Principal, upload: Upload, prep: _Prepared, org_id: int, year_id: int
) -> ImportedDocument:
    row = ImportedDocument(
        sha256=prep.sha256,
        filename=upload.filename[:300],
        size=len(upload.data),
        source=source_kind(upload.data, upload.filename),
        title=prep.document.title,
        department_name=prep.document.department,
        money_unit=prep.document.unit,
        org_id=org_id,
        fiscal_year_id=year_id,
        actor_id=actor.id,
    )
    session.add(row)
    session.flush()
    warnings = warning_values(prep.document.warnings, document_id=row.id, project_id=None)
    insert_rows(session, WarningRow, warnings)
    return row


def _claim(session: Session, row: Project) -> None:
    try:
        claim_project(session, row.id, row.version)
    except StaleVersion as exc:
        raise StaleVersion(
            f"项目“{row.name}”在读取后已被他人修改，导入未执行，请重新导入",
            fields=exc.fields,
            current=exc.current,
        ) from None
    session.refresh(row, ["version", "status", "updated_at"])
