"""What ``jixiao import``, ``jixiao user …`` and ``jixiao serve`` do, over the services.

Kept apart from the command declarations in ``admin.py`` so that ``import jixiao.cli`` (and so
every file command: ``parse``, ``review``, ``rules``, ``score``, ``export``) loads neither
SQLAlchemy, Alembic, the services nor the web stack; ``admin.py`` imports this module only when
one of its commands runs.

Each command opens one transaction (commit on success, roll back on error) and turns
service errors into a one-line message with exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import click
from sqlalchemy.orm import Session, sessionmaker

from jixiao.cli.database import CliError, database_errors
from jixiao.cli.paths import expand
from jixiao.db.migrate import ensure_current, upgrade
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Role
from jixiao.domain.numbers import plain
from jixiao.errors import JixiaoError
from jixiao.ingest import parse_bytes, read_file
from jixiao.ingest.result import SELF_EVALUATION
from jixiao.services.errors import AppError, NotFound
from jixiao.services.evaluations.published import Attached, attach_published
from jixiao.services.imports import service as imports
from jixiao.services.imports.schemas import ImportPreview, ImportResult
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.password_policy import generate_password
from jixiao.services.users.schemas import UserCreate, UserUpdate
from jixiao.settings import Settings, get_settings, weak_secret

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@contextmanager
def database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the database of ``settings``, migrated first if it is behind (checked once:
    the stored revision against the migration files, without loading Alembic)."""
    with database_errors(settings.resolved_database_url):
        engine = make_engine(settings)
        try:
            ensure_current(settings, engine)
            yield make_session_factory(engine)
        finally:
            engine.dispose()


@contextmanager
def unit_of_work(settings: Settings | None = None) -> Iterator[Session]:
    """A migrated database and one transaction; AppError becomes a one-line CLI error."""
    with database(settings or get_settings()) as factory:
        try:
            with transaction(factory) as session:
                yield session
        except AppError as exc:
            raise CliError(exc.message) from None


@dataclass(frozen=True)
class Options:
    year: int | None
    department: str | None
    preview: bool
    allow_incomplete: bool


def import_paths(
    paths: tuple[Path, ...],
    year: int | None,
    department: str | None,
    preview: bool,
    allow_incomplete: bool,
) -> None:
    """Import (or only preview) each file, or each file of each folder, in one process: one
    transaction per file. One file prints what it did; several show a progress bar on
    standard error, then one line per file and the failures (exit status 2 if any)."""
    files = expand(paths)
    if not files:
        raise CliError("没有可导入的文件")
    options = Options(year, department, preview, allow_incomplete)
    with database(get_settings()) as factory:
        if len(files) == 1 and not paths[0].is_dir():
            try:
                with transaction(factory) as session:
                    lines = _import(session, files[0], options)
            except (AppError, JixiaoError) as exc:
                raise CliError(_message(exc)) from None
            for line in lines:
                click.echo(line)
            return
        failures = _import_many(factory, files, options)
    if failures:
        sys.exit(2)


def _import_many(
    factory: sessionmaker[Session], files: list[Path], options: Options
) -> list[tuple[Path, str]]:
    from rich.console import Console
    from rich.progress import Progress

    err = Console(stderr=True, highlight=False)
    done: list[tuple[Path, list[str]]] = []
    failures: list[tuple[Path, str]] = []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("导入中", total=len(files))
        for path in files:
            try:
                with transaction(factory) as session:
                    done.append((path, _import(session, path, options)))
            except (AppError, JixiaoError) as exc:
                failures.append((path, _message(exc)))
            progress.advance(task)
    for path, lines in done:
        click.echo(f"{path.name}：{lines[0]}")
        for line in lines[1:]:
            click.echo(f"  {line}")
    verb = "已预览" if options.preview else "已导入"
    err.print(f"完成：{len(done)} 个文件{verb}，{len(failures)} 个失败（失败的文件未写入任何数据）")
    for path, reason in failures:
        named = reason if reason.startswith(path.name) else f"{path.name}：{reason}"
        err.print(f"[red]失败[/] {named}", soft_wrap=True, markup=True, highlight=False)
    return failures


def _message(exc: Exception) -> str:
    return exc.message if isinstance(exc, AppError) else str(exc)


def _import(session: Session, path: Path, options: Options) -> list[str]:
    """Import (or preview) one target table, or attach published self-evaluations; the lines
    that say what was done."""
    data = read_file(path)
    if _is_self_evaluation(data, path.name):
        attached = attach_published(
            session, SYSTEM, data, path.name, options.year, options.department, options.preview
        )
        return _attached_lines(attached, options.preview)
    upload = imports.Upload(
        data, path.name, options.year, options.department, options.allow_incomplete
    )
    if options.preview:
        return _preview_lines(imports.preview_import(session, SYSTEM, upload))
    return _result_lines(imports.apply_import(session, SYSTEM, upload))


def _is_self_evaluation(data: bytes, name: str) -> bool:
    try:
        return parse_bytes(data, name).kind == SELF_EVALUATION
    except JixiaoError:
        return False  # the target import says what is wrong with the file


def _attached_lines(attached: list[Attached], preview: bool) -> list[str]:
    """A line per published self-evaluation (the project it goes to, or that none matched),
    then the count."""
    lines = []
    for a in attached:
        if a.project_id is None:
            lines.append(f"  未匹配  {a.name}（该部门该年度没有同名项目，未导入）")
        elif preview:
            lines.append(f"  将导入  {a.name} → 项目 #{a.project_id}")
        else:
            published = "—" if a.published_total is None else plain(a.published_total)
            lines.append(
                f"  已导入  {a.name} → 项目 #{a.project_id}：公布总分 {published}，"
                f"复核总分 {plain(a.recomputed_total or Decimal(0))}，公布数问题 {a.findings} 条"
            )
    done = sum(1 for a in attached if a.project_id is not None)
    verb = "可导入" if preview else "已导入"
    count = f"自评表 {len(attached)} 张：{verb} {done} 张，未匹配 {len(attached) - done} 张"
    return [*lines, count]


def _preview_lines(preview: ImportPreview) -> list[str]:
    """The differences an import would apply, one line each (nothing is written)."""
    lines = []
    if preview.already_imported_document_id is not None:
        lines.append(f"该文件已导入过（文档 #{preview.already_imported_document_id}）")
    diff = preview.diff
    lines.append(
        f"{preview.department}（{preview.year} 年）：{len(preview.projects)} 个项目，"
        f"审核问题 {len(preview.findings)} 条，表级警告 {len(preview.warnings)} 条"
    )
    lines += [f"  新增  {name}" for name in diff.added]
    lines += [f"  删除  {name}" for name in diff.removed]
    for change in diff.changed:
        parts = [f"{f.field}: {f.before} → {f.after}" for f in change.fields]
        parts += [f"新增指标 {n}" for n in change.indicators_added]
        parts += [f"删除指标 {n}" for n in change.indicators_removed]
        parts += [f"修改指标 {n}" for n in change.indicators_changed]
        lines.append(f"  修改  {change.name}：" + "；".join(parts))
    lines.append(f"  未变  {len(diff.unchanged)} 个项目")
    lines += [f"  锁定  {item}（已提交或已批复，导入将被拒绝）" for item in preview.blocked]
    if preview.incomplete is not None:
        lines.append(f"  不完整  {preview.incomplete}（导入需加 --allow-incomplete）")
    return lines


def _result_lines(result: ImportResult) -> list[str]:
    if result.unchanged_file:
        return [f"该文件已导入过（文档 #{result.document_id}），未做任何修改"]
    diff = result.diff
    return [
        f"已导入文档 #{result.document_id}（{result.year} 年）：新增 {len(diff.added)} 个项目，"
        f"修改 {len(diff.changed)} 个，删除 {len(diff.removed)} 个，未变 {len(diff.unchanged)} 个；"
        f"审核问题 {result.findings} 条"
    ]


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
