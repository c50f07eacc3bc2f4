"""What ``jixiao user …`` and ``jixiao serve`` do, over the services (``jixiao import`` is in
``import_ops``).

Kept apart from the command declarations in ``admin.py`` so that ``import jixiao.cli`` (and so
every file command: ``parse``, ``review``, ``rules``, ``score``, ``export``) loads neither
SQLAlchemy, Alembic, the services nor the web stack; ``admin.py`` imports this module only when
one of its commands runs.

Each command opens one transaction (commit on success, roll back on error) and turns
service errors into a one-line message with exit status 2.
"""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from jixiao.cli.database import CliError, database_errors
from jixiao.cli.session import unit_of_work
from jixiao.db.migrate import upgrade
from jixiao.domain.enums import Role
from jixiao.services.errors import NotFound
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.password_policy import generate_password
from jixiao.services.users.schemas import UserCreate, UserUpdate
from jixiao.settings import get_settings, weak_secret

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def add_user(
    username: str, role: Role, org_name: str | None, display_name: str | None, password: str
) -> None:
    with unit_of_work() as session:
        org_id = _org_id(session, org_name)
        data = UserCreate(
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            org_id=org_id,
        )
        user = users.create_user(session, SYSTEM, data, get_settings())
    click.echo(f"已添加用户 {user.username}（{user.role.label}）")


def _org_id(session: Session, name: str | None) -> int | None:
    return orgs.org_id_named(session, name) if name else None


def change_role(username: str, role: Role, org_name: str | None) -> None:
    with unit_of_work() as session:
        user = users.get_user_by_username(session, username)
        update = UserUpdate(role=role)
        if org_name is not None:
            update.org_id = _org_id(session, org_name)
        users.update_user(session, SYSTEM, user.id, update)
    click.echo(f"{username} 的角色已改为{role.label}")


def change_password(username: str, password: str) -> None:
    with unit_of_work() as session:
        user = users.get_user_by_username(session, username)
        users.set_password(session, SYSTEM, user.id, password, get_settings())
    click.echo(f"{username} 的密码已修改")


def unlock_user(username: str) -> None:
    with unit_of_work() as session:
        user = users.get_user_by_username(session, username)
        users.unlock(session, SYSTEM, user.id)
    click.echo(f"{username} 的登录锁定已解除")


DEMO_USERS = (
    ("admin", Role.ADMIN, "系统管理员"),
    ("anquan", Role.SECURITY_ADMIN, "安全管理员"),
    ("shenji", Role.AUDIT_ADMIN, "审计管理员"),
    ("caizheng", Role.FINANCE_REVIEWER, "财政审核员"),
    ("bumen", Role.DEPT_REVIEWER, "部门审核员"),
    ("danwei", Role.UNIT_EDITOR, "单位填报员"),
    ("chakan", Role.VIEWER, "只读用户"),
)


def create_demo_users(department: str | None) -> None:
    with unit_of_work() as session:
        dept_id = _demo_department(session, department)
        lines = [
            _demo_account(session, username, role, name, dept_id)
            for username, role, name in DEMO_USERS
        ]
    click.echo("演示账号（用户名 / 密码 / 角色）：")
    for line in lines:
        click.echo("  " + line)


def _demo_department(session: Session, name: str | None) -> int:
    dept = orgs.find_department(session, name) if name else orgs.last_imported_department(session)
    if dept is None:
        raise CliError("找不到部门，请先导入一个部门的目标表（jixiao import FILE）")
    return dept.id


def _demo_account(session: Session, username: str, role: Role, name: str, dept_id: int) -> str:
    password = generate_password(get_settings())
    org_id = dept_id if role in (Role.DEPT_REVIEWER, Role.UNIT_EDITOR) else None
    try:
        existing = users.get_user_by_username(session, username)
    except NotFound:
        data = UserCreate(
            username=username, password=password, role=role, display_name=name, org_id=org_id
        )
        users.create_user(session, SYSTEM, data, get_settings())
    else:
        users.set_password(session, SYSTEM, existing.id, password, get_settings())
    return f"{username:<10} {password:<14} {role.label}"


def serve(host: str, port: int, workers: int) -> None:
    """Migrate the database, then run the web application under uvicorn."""
    import uvicorn

    settings = get_settings()
    weakness = weak_secret(settings.secret_key)
    if host not in LOOPBACK_HOSTS and weakness is not None:
        raise click.ClickException(
            f"对外提供服务前须设置足够强的 JIXIAO_SECRET_KEY（{weakness}；只允许本机访问）"
            "，可用 python -c 'import secrets; print(secrets.token_urlsafe(32))' 生成"
            " (weak secret key)"
        )
    with database_errors(settings.resolved_database_url):
        upgrade(settings)
    click.echo(
        f"jixiao 已启动：http://{host}:{port}/  （接口 /api/v1，文档 /api/v1/docs；"
        f"{workers} 个工作进程）"
    )
    uvicorn.run(
        "jixiao.web.main:create_server_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,  # the app trusts forwarded headers from settings.trusted_proxies only
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        log_level="warning",
    )
