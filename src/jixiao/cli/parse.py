"""``jixiao parse FILE...``: read target tables; print or write ``jixiao.document/1`` JSON.

Reading files to standard output loads the ingest package and the reader of each file's kind
only: the batch machinery (``--out``) and rich (``--format table``, progress) are imported when
they are used, so that a bad file is refused, and a text table read, as soon as Python starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jixiao.cli import cli
from jixiao.cli.paths import expand
from jixiao.domain.document import Document
from jixiao.domain.enums import FundSource
from jixiao.errors import JixiaoError
from jixiao.ingest import ParseResult, parse_bytes, read_file
from jixiao.ingest.readers import ReadOptions
from jixiao.ingest.result import SELF_EVALUATION
from jixiao.outputs import json_text, payloads

if TYPE_CHECKING:
    from rich.console import Console

ParseFn = Callable[[Path], ParseResult]


def _parse(path: Path, strict: bool, options: ReadOptions) -> ParseResult:
    """Parse one file; every failure becomes a JixiaoError with a one-line reason."""
    try:
        return parse_bytes(read_file(path), path.name, strict=strict, options=options)
    except JixiaoError:
        raise
    except Exception as exc:  # a reader bug must still end in one line, not a traceback
        raise JixiaoError(
            f"{path.name}: 解析时发生内部错误（{type(exc).__name__}: {exc}）"
        ) from exc


def _evaluations_table(result: ParseResult, console: Console) -> None:
    from rich.table import Table

    table = Table(title="项目支出绩效自评表（公布数）")
    for label in ("序号", "项目名称", "全年预算数", "全年执行数", "指标", "公布总分", "自评等级"):
        table.add_column(label, overflow="fold")
    for index, ev in enumerate(result.evaluations, start=1):
        funds = ev.total_funds
        table.add_row(
            str(index),
            ev.project,
            funds.budget.format() if funds else "",
            funds.executed.format() if funds else "",
            str(len(ev.indicators)),
            "" if ev.published_total is None else format(ev.published_total, "f"),
            ev.published_grade or "",
        )
    console.print(table)
    for ev in result.evaluations:
        for r in ev.repairs:
            console.print(
                f"[cyan]修复[/] {ev.project}：{r.reason}（{r.before} → {r.after or '删除'}）"
            )
    for part in result.parts:
        for w in part.document.warnings:
            console.print(f"[yellow]警告[/] {w.code}: {w.message}")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _table(doc: Document, console: Console) -> None:
    from rich.table import Table

    unit = doc.unit.label if doc.unit else "未注明"
    title = doc.title or "绩效目标表"
    table = Table(title=f"{title}\n{doc.department or ''}（单位：{unit}）")
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("项目名称", overflow="fold", min_width=12)
    money = [
        (source.label, source.value)
        for source in FundSource
        if source is FundSource.TOTAL
        or any(getattr(p.amounts, source.value) is not None for p in doc.projects)
    ]
    for label, _ in money:
        table.add_column(label, justify="right", no_wrap=True)
    for label in ("指标", "修复", "警告"):
        table.add_column(label, justify="right", no_wrap=True)
    for index, p in enumerate(doc.projects, start=1):
        warnings = f"[yellow]{len(p.warnings)}[/]" if p.warnings else "0"
        amounts = [_money(getattr(p.amounts, key)) for _, key in money]
        counts = [str(len(p.indicators)), str(len(p.repairs)), warnings]
        table.add_row(str(index), p.name, *amounts, *counts)
    total = sum((p.amounts.total or Decimal(0) for p in doc.projects), Decimal(0))
    indicators = sum(len(p.indicators) for p in doc.projects)
    table.add_section()
    blanks = [""] * (len(money) - 1)
    table.add_row("", f"合计 {len(doc.projects)} 个项目", _money(total), *blanks, str(indicators))
    console.print(table)
    if not doc.complete:
        console.print("[red]表格不完整[/]：文件被截断，只读取了完整的行（complete: false）")
    for w in doc.warnings:
        console.print(f"[yellow]文档警告[/] {w.code}: {w.message}")


def _write_debug(result: ParseResult, source: Path, folder: Path) -> Path:
    from jixiao.batch.run import write_atomic
    from jixiao.ingest.debug import debug_html

    target = folder / f"{source.stem}.debug.html"
    write_atomic(target, debug_html(result))
    return target


def _to_stdout(files: list[Path], fmt: str, debug: bool, parse: ParseFn) -> list[str]:
    """Print each file's outputs; the reasons of the files that could not be read."""
    failures: list[str] = []
    out: Console | None = None
    for path in files:
        try:
            result = parse(path)
        except JixiaoError as exc:
            failures.append(str(exc))
            continue
        outputs = payloads(result)
        several = len(files) > 1 or len(outputs) > 1
        if fmt == "json":
            for payload in outputs:
                click.echo(json_text(payload, None if several else 2))
        else:
            if out is None:
                from rich.console import Console

                out = Console(highlight=False)
            if result.kind == SELF_EVALUATION:
                _evaluations_table(result, out)
            else:
                for doc in result.documents:
                    _table(doc, out)
        if debug:
            click.echo(f"解析过程已写入 {_write_debug(result, path, Path.cwd())}", err=True)
    for reason in failures:
        click.echo(f"错误：{reason}", err=True)
    return failures


@cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default=None,
    help="输出格式：json（jixiao.document/1）或 table（表格）。终端默认 table，否则 json。",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="批量：把每个输入的 JSON 写入此目录，并写语料文件 corpus.parquet（每条指标一行）；"
    "中断后再次运行同一命令，已完成的文件（按内容的 SHA-256）跳过。",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="批量：同时解析的进程数（默认 CPU 核数）。",
)
@click.option(
    "--cluster",
    default=None,
    metavar="ray://HOST:PORT|auto",
    help="批量：在 Ray 集群上解析（需安装 jixiao[cluster]）；auto 连接本机已启动的集群。",
)
@click.option("--quiet", is_flag=True, help="批量：不显示进度条。")
@click.option(
    "--debug", is_flag=True, help="另写一个 HTML 文件，展示解析的每个阶段（含合并单元格的网格）。"
)
@click.option(
    "--strict",
    is_flag=True,
    help="表格被截断时拒绝读取（退出码 2），而不是读取完整的行并标注 complete: false。",
)
@click.option(
    "--sheet",
    default=None,
    metavar="NAME",
    help="工作簿只读取这一张工作表（默认读取每张非空工作表）。",
)
def parse_command(
    files: tuple[Path, ...],
    fmt: str | None,
    out: Path | None,
    debug: bool,
    strict: bool,
    sheet: str | None,
    jobs: int | None,
    cluster: str | None,
    quiet: bool,
) -> None:
    """读取绩效目标表，输出结构化数据；一个文件含多个部门或年度的表时，每个输出一份。

    被截断的文件：读取其中完整的行，结果标注 complete: false 并给出 incomplete 警告。
    无法读取时退出码为 2。
    """
    inputs = expand(files)
    if not inputs:
        raise click.UsageError("没有可读取的文件")
    if out is not None:
        if fmt == "table":
            raise click.UsageError("--out 只写 JSON，不能与 --format table 同用")
        from rich.console import Console

        from jixiao.cli.batch import run_to_folder

        err = Console(stderr=True, highlight=False)
        workers = jobs or len(os.sched_getaffinity(0))
        ok = run_to_folder(inputs, out, strict, sheet, debug, workers, cluster, quiet, err)
        if not ok:
            sys.exit(2)
        return
    if jobs is not None or cluster is not None:
        raise click.UsageError("--jobs 与 --cluster 用于批量，须同时给出 --out 目录")
    chosen = fmt or ("table" if sys.stdout.isatty() else "json")
    parse = partial(_parse, strict=strict, options=ReadOptions(sheet=sheet))
    if _to_stdout(inputs, chosen, debug, parse):
        sys.exit(2)
