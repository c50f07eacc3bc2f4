"""Authorization rules that used to live outside ``services/scope.py``: creating a 部门 (by
import or directly), resetting one's own password, pages that decided their own 403."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import DEFAULT_PASSWORD, World
from jixiao.db.models import Organisation, User
from jixiao.domain.enums import Role
from jixiao.services.errors import Forbidden
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import SYSTEM
from jixiao.services.users.passwords import verify_password
from jixiao.services.users.service import change_own_password, set_password
from jixiao.settings import Settings

UI = Path(__file__).parents[2] / "src" / "jixiao" / "web" / "ui"


@pytest.mark.parametrize(
    "role", [Role.UNIT_EDITOR, Role.DEPT_REVIEWER, Role.VIEWER, Role.SECURITY_ADMIN]
)
def test_add_department_refuses_whoever_may_not_create_one(session: Session, role: Role) -> None:
    world = World(session)
    with pytest.raises(Forbidden):
        orgs.add_department(session, world.actor(role), "丙部门")
    assert session.scalar(select(Organisation).where(Organisation.name == "丙部门")) is None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.FINANCE_REVIEWER])
def test_add_department_by_whoever_imports_for_the_whole_bureau(
    session: Session, role: Role
) -> None:
    world = World(session)
    org = orgs.add_department(session, world.actor(role), "丙部门")
    assert org.parent_id == world.root.id
    assert orgs.add_department(session, SYSTEM, "丁部门").parent_id == world.root.id


def test_an_admin_changes_their_own_password_only_with_the_current_one(
    session: Session, settings: Settings
) -> None:
    world = World(session)
    admin = world.actor(Role.ADMIN)
    assert admin.id is not None
    with pytest.raises(Forbidden, match="当前密码"):
        set_password(session, admin, admin.id, "Fresh-horse-42", settings)
    row = session.get(User, admin.id)
    assert row is not None
    assert verify_password(row.password_hash, DEFAULT_PASSWORD)
    change_own_password(session, admin, DEFAULT_PASSWORD, "Fresh-horse-42", settings)
    assert verify_password(row.password_hash, "Fresh-horse-42")
    set_password(session, SYSTEM, admin.id, "Other-horse-43", settings)  # jixiao user passwd
    assert verify_password(row.password_hash, "Other-horse-43")


def _forbidden_status_literals(path: Path) -> list[int]:
    """Lines of ``path`` that pass 403 as an argument (a page deciding its own refusal)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and any(isinstance(a, ast.Constant) and a.value == 403 for a in node.args)
    ]


def test_pages_leave_refusals_to_scope() -> None:
    """Only the error module renders a 403 (for a failed CSRF check); every other refusal is
    a Forbidden raised by ``services/scope.py``."""
    found = {
        path.name: lines
        for path in sorted(UI.glob("*.py"))
        if path.name != "errors.py" and (lines := _forbidden_status_literals(path))
    }
    assert found == {}
