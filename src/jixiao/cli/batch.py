"""``jixiao parse … --out DIR``: the batch run with its progress bar and summary."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from jixiao.batch import LocalRunner, RayRunner, Summary, TaskSettings, run_batch
from jixiao.batch.manifest import MANIFEST
from jixiao.batch.runners import Runner
from jixiao.errors import JixiaoError

SHOWN_PER_CAUSE = 20


def run_to_folder(
    files: list[Path],
    out: Path,
    strict: bool,
    sheet: str | None,
    debug: bool,
    jobs: int,
    cluster: str | None,
    quiet: bool,
    err: Console,
) -> bool:
    """Run the batch, showing progress on a terminal; print the summary; True if none failed."""
    settings = TaskSettings(strict=strict, sheet=sheet, debug=debug)
    try:
        runner: Runner = RayRunner(cluster) if cluster else LocalRunner(jobs)
        summary = _run(files, out, runner, settings, quiet or not err.is_terminal, err)
    except JixiaoError as exc:
        err.print(f"错误：{exc}", soft_wrap=True, markup=False)
        return False
    except KeyboardInterrupt:
        err.print(
            f"已中断。再次运行同一命令即从中断处继续（已完成的文件记录在 {out / MANIFEST}）",
            markup=False,
        )
        return False
    _print_summary(summary, out, err)
    return not summary.failures


def _run(
    files: list[Path],
    out: Path,
    runner: Runner,
    settings: TaskSettings,
    hidden: bool,
    err: Console,
) -> Summary:
    columns = (
        TextColumn("解析中"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=hidden) as bar:
        task = bar.add_task("", total=len(files), rate="")
        started = time.monotonic()

        def progress(done: int, pages: int) -> None:
            seconds = time.monotonic() - started
            rate = f"{pages / seconds:.1f} 页/秒" if seconds > 0 else ""
            bar.update(task, completed=done, rate=rate)

        return run_batch(files, out, runner, settings, progress)


def _print_summary(summary: Summary, out: Path, err: Console) -> None:
    ok = summary.total - len(summary.failures)
    skipped = []
    if summary.resumed:
        skipped.append(f"{summary.resumed} 个此前已完成")
    if summary.copies:
        skipped.append(f"{summary.copies} 个与其他输入内容相同")
    note = f"（其中 {'，'.join(skipped)}，未重复解析）" if skipped else ""
    err.print(
        f"完成：{ok} 个成功{note}，{len(summary.failures)} 个失败；本次解析 {summary.read} 个文件、"
        f"{summary.pages} 页；结果在 {out}（语料 {summary.corpus_rows} 行）",
        soft_wrap=True,
        markup=False,
    )
    for cause, paths in summary.by_cause().items():
        err.print(f"[red]失败[/] {len(paths)} 个：{escape(cause)}", soft_wrap=True)
        for path in paths[:SHOWN_PER_CAUSE]:
            err.print(f"  {path}", soft_wrap=True, markup=False)
        if len(paths) > SHOWN_PER_CAUSE:
            err.print(f"  …… 另有 {len(paths) - SHOWN_PER_CAUSE} 个", soft_wrap=True)
