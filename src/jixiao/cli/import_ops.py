"""What ``jixiao import`` does, over the import services: each file read, reviewed and saved in
one transaction, or only previewed.

Imported only when the command runs; it loads the database stack and the import services, not
the user services, the web stack or the Excel/PDF writers (the self-evaluation service and its
exports are loaded only for a published self-evaluation file).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy.orm import Session, sessionmaker

from jixiao.cli.database import CliError
from jixiao.cli.paths import expand
from jixiao.cli.session import database
from jixiao.db.session import transaction
from jixiao.domain.numbers import plain
from jixiao.errors import JixiaoError
from jixiao.ingest import parse_bytes, read_file
from jixiao.ingest.result import SELF_EVALUATION
from jixiao.services.errors import AppError
from jixiao.services.imports import service as imports
from jixiao.services.imports.schemas import ImportPreview, ImportResult
from jixiao.services.principal import SYSTEM
from jixiao.settings import get_settings

if TYPE_CHECKING:
    from jixiao.services.evaluations.published import Attached


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
        from jixiao.services.evaluations.published import attach_published

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
