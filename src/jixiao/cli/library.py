"""``jixiao library …``: rebuild the indicator library, import and export its workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from jixiao.cli import cli

if TYPE_CHECKING:
    from jixiao.services.library.schemas import BookPreview


@cli.group("library")
def library_group() -> None:
    """指标库：重建、导入与导出。"""


@library_group.command("rebuild")
def library_rebuild() -> None:
    """按已批复项目与已导入的公开目标表重建指标库的全部出现记录（精选字段保留）。"""
    from jixiao.cli.session import unit_of_work
    from jixiao.services.library import rebuild

    with unit_of_work() as session:
        count = rebuild(session)
    click.echo(f"指标库已重建：{count} 条指标出现记录")


@library_group.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def library_export(out: Path) -> None:
    """把整个指标库导出为 Excel 工作簿 OUT（每行一个指标）。"""
    from jixiao.cli.database import CliError
    from jixiao.cli.session import unit_of_work
    from jixiao.services.library.book import export_book
    from jixiao.services.principal import SYSTEM

    with unit_of_work() as session:
        data = export_book(session, SYSTEM)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"{out}: 无法写入：{exc.strerror}") from None
    click.echo(f"指标库已导出：{out}")


@library_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="预览后直接导入（否则只预览，不写入）。")
def library_import(file: Path, yes: bool) -> None:
    """导入指标库工作簿 FILE：先列出新增条目、修改的精选字段和无法导入的行；
    加 --yes 才写入（有无法导入的行时整个文件都不导入）。"""
    from jixiao.cli.database import CliError
    from jixiao.cli.session import unit_of_work
    from jixiao.errors import JixiaoError
    from jixiao.ingest import read_file
    from jixiao.services.library.book import apply_book, preview_book
    from jixiao.services.principal import SYSTEM

    try:
        data = read_file(file)
    except JixiaoError as exc:
        raise CliError(str(exc).splitlines()[0]) from None
    with unit_of_work() as session:
        preview = preview_book(session, SYSTEM, data, file.name)
        for line in preview_lines(preview):
            click.echo(line)
        if yes and preview.refused:
            raise CliError(f"文件中有 {len(preview.refused)} 行无法导入，未导入任何内容")
        if yes:
            result = apply_book(session, SYSTEM, data, file.name, preview.token)
            click.echo(f"已导入：新增 {result.created} 条，修改 {result.updated} 条")


def preview_lines(preview: BookPreview) -> list[str]:
    lines = [
        f"{preview.filename}：读到 {preview.rows} 个指标；新增 {len(preview.new)} 条，"
        f"修改 {len(preview.updated)} 条，无变化 {preview.unchanged} 条，"
        f"无法导入 {len(preview.refused)} 行"
    ]
    lines += [f"  新增 {c.where} {c.level2} / {c.name}" for c in preview.new]
    for c in preview.updated:
        fields = "、".join(f.label for f in c.changes)
        lines.append(f"  修改 {c.where} {c.level2} / {c.name}：{fields}")
    lines += [f"  无法导入 {r}" for r in preview.refused]
    return lines
