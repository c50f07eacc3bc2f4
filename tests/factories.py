"""Plain keyword-only factories for tests: organisations, users, projects, documents.

Users get a password hash computed once (argon2 is deliberately slow) and, when asked, an
API token written straight into the database.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from datetime import timedelta
from decimal import Decimal
from functools import cache

from openpyxl import Workbook
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.mapping import project_from_domain
from jixiao.db.models import ApiToken, Organisation, Project, User
from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit, OrgKind, ProjectStatus, Role
from jixiao.domain.exchange import document_to_json
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts
from jixiao.domain.project import Project as DomainProject
from jixiao.domain.target import parse_target
from jixiao.services.orgs.service import fiscal_year, root
from jixiao.services.principal import Principal
from jixiao.services.users.passwords import hash_password

DEFAULT_PASSWORD = "correct-horse-9"


@cache
def _default_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


def create_org(
    session: Session, *, name: str, kind: OrgKind, parent: Organisation | None = None
) -> Organisation:
    if parent is None and kind is not OrgKind.FINANCE_BUREAU:
        parent = root(session)
    org = Organisation(name=name, kind=kind, parent_id=parent.id if parent else None)
    session.add(org)
    session.flush()
    return org


def create_user(
    session: Session, *, username: str, role: Role, org: Organisation | None = None
) -> User:
    user = User(
        username=username,
        display_name=username,
        password_hash=_default_hash(),
        role=role,
        org_id=org.id if org else None,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def principal(user: User) -> Principal:
    return Principal.of(user)


def create_token(session: Session, *, user: User) -> str:
    token = "jx_" + secrets.token_urlsafe(16)
    session.add(
        ApiToken(
            user_id=user.id,
            name="test",
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=utcnow() + timedelta(days=1),
        )
    )
    session.flush()
    return token


def make_indicator(
    *,
    name: str = "服务天数",
    level1: tuple[str, str] = ("1", "产出指标"),
    level2: tuple[str, str] = ("11", "数量指标"),
    period: str = "365天",
    annual: str = "365天",
) -> Indicator:
    return Indicator(
        name=name,
        level1=LevelRef(*level1),
        level2=LevelRef(*level2),
        period=parse_target(period),
        annual=parse_target(annual),
    )


def make_project(
    *,
    name: str = "物业管理费",
    total: str = "125.00",
    goal: str = "为机关大楼提供物业管理服务。",
    indicators: list[Indicator] | None = None,
) -> DomainProject:
    return DomainProject(
        name=name,
        amounts=Amounts(total=Decimal(total), fiscal=Decimal(total)),
        goal=goal,
        indicators=indicators
        if indicators is not None
        else [
            make_indicator(),
            make_indicator(
                name="服务对象满意度",
                level1=("3", "满意度指标"),
                level2=("31", "服务对象满意度"),
                period="≥90%",
                annual="≥90%",
            ),
        ],
    )


def make_document(
    *, department: str = "测试局", year: int = 2023, projects: list[DomainProject] | None = None
) -> Document:
    return Document(
        projects=projects if projects is not None else [make_project()],
        department=department,
        year=year,
        unit=MoneyUnit.WAN_YUAN,
        title="项目支出绩效目标表",
    )


def document_bytes(document: Document) -> bytes:
    """The document as a ``jixiao.document/1`` JSON upload."""
    return json.dumps(document_to_json(document), ensure_ascii=False).encode("utf-8")


def create_project(
    session: Session,
    *,
    org: Organisation,
    year: int = 2023,
    status: ProjectStatus = ProjectStatus.DRAFT,
    domain: DomainProject | None = None,
    name: str | None = None,
) -> Project:
    """A stored project (with funding, goal and indicators) of ``org``."""
    domain = domain or make_project(name=name or f"项目{secrets.token_hex(3)}")
    row = project_from_domain(
        domain,
        MoneyUnit.WAN_YUAN,
        org_id=org.id,
        fiscal_year_id=fiscal_year(session, year).id,
        status=status,
    )
    session.add(row)
    session.flush()
    return row


class World:
    """Two departments (A, B), each with one unit, and one user per role anchored in A."""

    def __init__(self, session: Session) -> None:
        self.root = root(session)
        self.dept_a = create_org(session, name="甲部门", kind=OrgKind.DEPARTMENT)
        self.unit_a = create_org(session, name="甲单位", kind=OrgKind.UNIT, parent=self.dept_a)
        self.dept_b = create_org(session, name="乙部门", kind=OrgKind.DEPARTMENT)
        self.unit_b = create_org(session, name="乙单位", kind=OrgKind.UNIT, parent=self.dept_b)
        self.users = {
            Role.ADMIN: create_user(session, username="admin", role=Role.ADMIN),
            Role.SECURITY_ADMIN: create_user(
                session, username="security", role=Role.SECURITY_ADMIN
            ),
            Role.AUDIT_ADMIN: create_user(session, username="auditor", role=Role.AUDIT_ADMIN),
            Role.FINANCE_REVIEWER: create_user(
                session, username="finance", role=Role.FINANCE_REVIEWER
            ),
            Role.DEPT_REVIEWER: create_user(
                session, username="dept", role=Role.DEPT_REVIEWER, org=self.dept_a
            ),
            Role.UNIT_EDITOR: create_user(
                session, username="unit", role=Role.UNIT_EDITOR, org=self.unit_a
            ),
            Role.VIEWER: create_user(session, username="viewer", role=Role.VIEWER, org=self.dept_a),
        }

    def actor(self, role: Role) -> Principal:
        return Principal.of(self.users[role])


def published_selfeval(rows: list[tuple[str, str]]) -> str:
    """A published 自评表 as CSV text: one form per (project name, published total)."""
    lines = ["项目支出绩效自评表（2023年度）"]
    for name, total in rows:
        lines += [
            f"项目名称,,{name}",
            "主管部门,,广州市白云区市场监督管理局(本级),,,实施单位,广州市白云区市场监督管理局",
            "项目资金（万元）,,,全年预算数,全年执行数,分值,执行率,得分",
            ",,年度资金总额,100.00,90.00,10,90.00%,10",
            "绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分",
            ",1-产出指标,11-数量指标,服务天数,≥365天,300天,90,90",
            f"总分,,,,,,100,{total}",
        ]
    return "\n".join(lines) + "\n"


def workbook_bytes(rows: list[list[str]]) -> bytes:
    """An .xlsx of one sheet holding ``rows``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def library_workbook() -> bytes:
    """A 指标库 workbook of one indicator (xlsx bytes)."""
    return workbook_bytes(
        [["二级指标", "三级指标", "指标解释"], ["质量指标", "档案归档率", "归档的比例"]]
    )
