"""``jixiao library …``: rebuild the indicator library, import and export its workbook."""

from __future__ import annotations

import click

from jixiao.cli import cli


@cli.group("library")
def library_group() -> None:
    """指标库：重建、导入与导出。"""


@library_group.command("rebuild")
def library_rebuild() -> None:
    """按已批复项目与已导入的公开目标表重建指标库的全部出现记录（精选字段保留）。"""
    from jixiao.cli.admin_ops import unit_of_work
    from jixiao.services.library import rebuild

    with unit_of_work() as session:
        count = rebuild(session)
    click.echo(f"指标库已重建：{count} 条指标出现记录")
