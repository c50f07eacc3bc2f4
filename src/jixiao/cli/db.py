"""``jixiao db upgrade | check | current``: the database schema (Alembic migrations).

Alembic, SQLAlchemy and the settings are imported inside the commands, so that loading the
command line for the file commands does not load them.
"""

from __future__ import annotations

import click

from jixiao.cli import cli


@cli.group("db")
def db_group() -> None:
    """数据库：迁移与检查。"""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="目标版本")
def upgrade_cmd(revision: str) -> None:
    """把数据库迁移到最新结构（首次使用时创建 SQLite 文件）。"""
    from jixiao.cli.database import database_errors, safe_url
    from jixiao.db.migrate import upgrade
    from jixiao.settings import get_settings

    settings = get_settings()
    with database_errors(settings.resolved_database_url):
        upgrade(settings, revision)
    click.echo(f"数据库已迁移到 {revision}：{safe_url(settings.resolved_database_url)}")


@db_group.command("check")
def check_cmd() -> None:
    """检查模型与迁移是否一致（相当于 alembic check）。"""
    from alembic import command
    from alembic.util.exc import CommandError

    from jixiao.cli.database import database_errors
    from jixiao.db.migrate import alembic_config
    from jixiao.settings import get_settings

    settings = get_settings()
    try:
        with database_errors(settings.resolved_database_url):
            command.check(alembic_config(settings))
    except CommandError as exc:
        raise click.ClickException(f"模型与迁移不一致：{exc}") from None
    click.echo("模型与迁移一致")


@db_group.command("current")
def current_cmd() -> None:
    """显示数据库当前的迁移版本。"""
    from alembic import command

    from jixiao.cli.database import database_errors
    from jixiao.db.migrate import alembic_config
    from jixiao.settings import get_settings

    settings = get_settings()
    with database_errors(settings.resolved_database_url):
        command.current(alembic_config(settings))
