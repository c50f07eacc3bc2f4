"""Organisation use-cases and the lookups imports need (find or create a department, a year).

The hierarchy: one 财政局 at the root, 部门 under it, 单位 under a 部门.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from jixiao.db.models import FiscalYear, ImportedDocument, Organisation
from jixiao.domain.enums import OrgKind
from jixiao.services import audit
from jixiao.services.errors import Conflict, NotFound, ValidationFailed
from jixiao.services.orgs.schemas import OrgCreate, OrgOut
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize, authorize_new_department, scope_orgs

ROOT_NAME = "财政局"
_PARENT_KIND = {
    OrgKind.FINANCE_BUREAU: None,
    OrgKind.DEPARTMENT: OrgKind.FINANCE_BUREAU,
    OrgKind.UNIT: OrgKind.DEPARTMENT,
}


def list_orgs(session: Session, actor: Principal) -> list[OrgOut]:
    """The organisations the actor may see, root first, then by kind and name."""
    columns = select(*(getattr(Organisation, name) for name in OrgOut.model_fields))
    stmt = scope_orgs(session, actor, columns)
    rows = session.execute(stmt.order_by(Organisation.parent_id.nullsfirst(), Organisation.name))
    return [OrgOut.model_validate(row._mapping) for row in rows]


def create_org(session: Session, actor: Principal, data: OrgCreate) -> OrgOut:
    """Add an organisation under a parent of the right kind (管理员)."""
    authorize(session, actor, Action.MANAGE_ORGS)
    parent_kind = _PARENT_KIND[data.kind]
    parent = session.get(Organisation, data.parent_id) if data.parent_id is not None else None
    if data.parent_id is not None and parent is None:
        raise ValidationFailed("上级单位不存在", fields={"parent_id": "上级单位不存在"})
    if parent_kind is None:
        raise Conflict("财政局只有一个（根节点），不能再添加", fields={"kind": "不能添加财政局"})
    if (parent.kind if parent else None) != parent_kind:
        need = parent_kind.label if parent_kind else "无上级"
        raise ValidationFailed(
            f"“{data.kind.label}”的上级必须是{need}", fields={"parent_id": f"上级必须是{need}"}
        )
    if _find(session, data.parent_id, data.name) is not None:
        raise Conflict(f"“{data.name}”已存在", fields={"name": "同一上级下名称重复"})
    org = Organisation(name=data.name, kind=data.kind, parent_id=data.parent_id, code=data.code)
    session.add(org)
    session.flush()
    audit.record(session, actor, "org.create", ("organisation", org.id), after=data.model_dump())
    return OrgOut.model_validate(org)


def _find(session: Session, parent_id: int | None, name: str) -> Organisation | None:
    cond = (
        Organisation.parent_id.is_(None)
        if parent_id is None
        else Organisation.parent_id == parent_id
    )
    return session.scalar(select(Organisation).where(cond, Organisation.name == name))


def existing_root(session: Session) -> Organisation | None:
    """The 财政局 at the top, if there is one yet (never writes)."""
    return session.scalar(select(Organisation).where(Organisation.parent_id.is_(None)))


def root(session: Session) -> Organisation:
    """The 财政局 at the top, created on first use."""
    org = existing_root(session)
    if org is None:
        org = Organisation(name=ROOT_NAME, kind=OrgKind.FINANCE_BUREAU)
        session.add(org)
        session.flush()
    return org


def find_department(session: Session, name: str) -> Organisation | None:
    top = existing_root(session)
    return _find(session, top.id, name) if top is not None else None


def add_department(session: Session, actor: Principal, name: str) -> Organisation:
    """A new 部门 under the root, when the actor may create it (see
    :func:`~jixiao.services.scope.authorize_new_department`)."""
    authorize_new_department(session, actor, name)
    org = Organisation(name=name, kind=OrgKind.DEPARTMENT, parent_id=root(session).id)
    session.add(org)
    session.flush()
    audit.record(session, actor, "org.create", ("organisation", org.id), after={"name": name})
    return org


def org_id_named(session: Session, name: str) -> int:
    """The id of the organisation called ``name``, or ``上级/名称`` when the name alone is not
    unique (NotFound, or Conflict listing the candidates)."""
    found = _named(session, name, None)
    if not found and "/" in name:
        parent_name, _, own = name.rpartition("/")
        found = _named(session, own, parent_name)
    if not found:
        raise NotFound(f"单位“{name}”不存在")
    if len(found) > 1:
        paths = "、".join(f"{parent}/{own}" for _, parent, own in found)
        raise Conflict(f"单位名称“{name}”不唯一，请写明上级：{paths}")
    return found[0][0]


def _named(session: Session, name: str, parent_name: str | None) -> list[tuple[int, str, str]]:
    """(id, parent's name, name) of the organisations called ``name``."""
    parent = aliased(Organisation)
    stmt = (
        select(Organisation.id, parent.name, Organisation.name)
        .outerjoin(parent, Organisation.parent_id == parent.id)
        .where(Organisation.name == name)
    )
    if parent_name is not None:
        stmt = stmt.where(parent.name == parent_name)
    rows = session.execute(stmt.order_by(parent.name)).all()
    return [(int(i), str(p or ""), str(n)) for i, p, n in rows]


def last_imported_department(session: Session) -> Organisation | None:
    """The organisation of the most recent import, if any."""
    latest = select(ImportedDocument.org_id).order_by(ImportedDocument.id.desc()).limit(1)
    org_id = session.scalar(latest)
    return session.get(Organisation, org_id) if org_id is not None else None


def fiscal_year(session: Session, year: int) -> FiscalYear:
    """The FiscalYear row of ``year``, created on first use."""
    if not 1990 <= year <= 2100:
        raise ValidationFailed(f"年度 {year} 不合理", fields={"year": "年度应在 1990–2100 之间"})
    row = session.scalar(select(FiscalYear).where(FiscalYear.year == year))
    if row is None:
        row = FiscalYear(year=year)
        session.add(row)
        session.flush()
    return row
