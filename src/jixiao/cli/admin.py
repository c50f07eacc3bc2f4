"""Commands over the services: ``jixiao import``, ``jixiao user …``, ``jixiao serve``.

Only the declarations live here; the work is in ``admin_ops`` (``import_ops`` for the import),
imported when a command runs, so that the file commands start without loading the database and
web stack.
"""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli import cli
from jixiao.domain.enums import Role

ROLE_CHOICE = click.Choice([r.value for r in Role])


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--year", type=click.IntRange(1990, 2100), help="预算年度（表中没有时必填）")
@click.option("--department", help="部门名称（默认取表头的部门）")
@click.option("--preview", is_flag=True, help="只预览变化，不写入")
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="文件被截断时，确认只导入其中完整的行（不加此项则拒绝导入不完整的表）",
)
def import_cmd(
    paths: tuple[Path, ...],
    year: int | None,
    department: str | None,
    preview: bool,
    allow_incomplete: bool,
) -> None:
    """导入目标表，或把公布的自评表挂到同名项目上：读取、审核并保存。

    可给多个文件或文件夹（其中每个文件）：在一个进程中逐个导入，进度显示在标准错误上，
    最后汇总失败的文件。每个文件在一个事务中保存（全部成功或全部不写入）；有文件失败时退出码为 2。
    """
    from jixiao.cli import import_ops

    import_ops.import_paths(paths, year, department, preview, allow_incomplete)


@cli.group("user")
def user_group() -> None:
    """用户管理：添加用户、修改角色与密码。"""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True, help="角色")
@click.option("--org", "org_name", help="所属部门或单位名称")
@click.option("--name", "display_name", help="显示名称")
@click.password_option("--password", help="密码（须符合密码策略，见 JIXIAO_PASSWORD_* 设置）")
def user_add(
    username: str, role: str, org_name: str | None, display_name: str | None, password: str
) -> None:
    """添加用户。"""
    from jixiao.cli import admin_ops

    admin_ops.add_user(username, Role(role), org_name, display_name, password)


@user_group.command("role")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
@click.option("--org", "org_name", help="所属部门或单位名称")
def user_role(username: str, role: str, org_name: str | None) -> None:
    """修改用户角色（及所属单位）。"""
    from jixiao.cli import admin_ops

    admin_ops.change_role(username, Role(role), org_name)


@user_group.command("passwd")
@click.argument("username")
@click.password_option("--password", help="新密码（须符合密码策略，见 JIXIAO_PASSWORD_* 设置）")
def user_passwd(username: str, password: str) -> None:
    """修改用户密码。"""
    from jixiao.cli import admin_ops

    admin_ops.change_password(username, password)


@user_group.command("unlock")
@click.argument("username")
def user_unlock(username: str) -> None:
    """解除账号的登录锁定（连续登录失败后的锁定）。"""
    from jixiao.cli import admin_ops

    admin_ops.unlock_user(username)


@user_group.command("demo")
@click.option("--department", help="部门审核、单位填报账号所属的部门（默认：最近导入的部门）")
def user_demo(department: str | None) -> None:
    """为每个角色创建一个演示账号并打印密码（已存在的账号重设密码）。"""
    from jixiao.cli import admin_ops

    admin_ops.create_demo_users(department)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="工作进程数（会话、登录限制与 CSRF 令牌存于数据库，各进程共享）",
)
def serve(host: str, port: int, workers: int) -> None:
    """启动网页与接口服务（uvicorn）。收到 SIGTERM 时不再接受新连接，等进行中的请求完成后退出。"""
    from jixiao.cli import admin_ops

    admin_ops.serve(host, port, workers)
