"""``jixiao check FILE...``: recompute published self-evaluations; review the targets of any table.

A published self-evaluation (a table in any kind ``jixiao parse`` reads, or a
``jixiao.selfeval/1`` JSON/TOML file) gets the SC findings of ``scoring.check`` plus the
target-quality rules (JX) on its targets; any target table gets the JX findings of
``jixiao review`` in the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from jixiao.cli import cli
from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit, Severity
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.domain.indicator import Indicator
from jixiao.domain.numbers import plain
from jixiao.domain.project import Amounts, Project
from jixiao.errors import JixiaoError
from jixiao.ingest import parse_bytes, read_file
from jixiao.ingest.result import SELF_EVALUATION
from jixiao.review import ReviewProfile, load_profile, review_document
from jixiao.scoring.check import CheckFinding, ProjectCheck, check_evaluation
from jixiao.scoring.formats import (
    SELFEVAL_FORMAT,
    read_data_file,
    repairs_json,
    selfeval_from_data,
)
from jixiao.scoring.weights import ScoringProfile, load_scoring_profile

CHECK_FORMAT = "jixiao.check/1"
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@dataclass(frozen=True)
class Checked:
    file: str
    check: ProjectCheck


def _targets(ev: SelfEvaluation) -> Document:
    """The targets of a self-evaluation as a one-project target table (in 万元)."""
    indicators = [Indicator(i.name, i.level1, i.level2, annual=i.target) for i in ev.indicators]
    budgets = {f.line.value: f.budget.amount(MoneyUnit.WAN_YUAN) for f in ev.funds}
    amounts = Amounts(**{k: budgets.get(k) for k in ("total", "fiscal", "special", "other")})
    project = Project(ev.project, amounts, goal=ev.goal, indicators=indicators)
    return Document(projects=[project], unit=MoneyUnit.WAN_YUAN, year=ev.year)


def _review(doc: Document, review: ReviewProfile) -> list[list[CheckFinding]]:
    report = review_document(doc, review)
    return [
        [
            CheckFinding(f.rule, f.severity, f.indicator, None, None, f.message)
            for f in report.by_project(index)
        ]
        for index in range(len(doc.projects))
    ]


def _is_selfeval(path: Path) -> bool:
    if path.suffix.lower() not in (".json", ".toml"):
        return False
    with path.open("rb") as file:
        return SELFEVAL_FORMAT in file.read(4096).decode("utf-8", "ignore")


def _check_evaluations(
    evaluations: list[SelfEvaluation], scoring: ScoringProfile, review: ReviewProfile
) -> list[ProjectCheck]:
    checks = []
    for ev in evaluations:
        checked = check_evaluation(ev, scoring)
        jx = _review(_targets(ev), review)[0]
        checks.append(
            ProjectCheck(
                checked.project,
                checked.published_total,
                checked.recomputed_total,
                checked.findings + tuple(jx),
                checked.notes,
                repairs=checked.repairs,
            )
        )
    return checks


def check_file(path: Path, scoring: ScoringProfile, review: ReviewProfile) -> list[ProjectCheck]:
    """Every project of ``path`` checked: SC and JX findings for self-evaluations (a published
    table or a ``jixiao.selfeval/1`` file), the JX findings of ``jixiao review`` otherwise."""
    if _is_selfeval(path):
        return _check_evaluations(selfeval_from_data(read_data_file(path)), scoring, review)
    result = parse_bytes(read_file(path), path.name)
    if result.kind == SELF_EVALUATION:
        return _check_evaluations(result.evaluations, scoring, review)
    return [
        ProjectCheck(p.name, None, None, tuple(found), (), repairs=tuple(p.repairs))
        for doc in result.documents
        for p, found in zip(doc.projects, _review(doc, review), strict=True)
    ]


def _files(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path])
    return out


def _run(
    files: list[Path], scoring: ScoringProfile, review: ReviewProfile, quiet: bool
) -> Iterator[tuple[Path, list[ProjectCheck] | str]]:
    with Progress(transient=True, disable=quiet or len(files) < 2) as progress:
        task = progress.add_task("核对中", total=len(files))
        for path in files:
            try:
                yield path, check_file(path, scoring, review)
            except JixiaoError as exc:
                yield path, str(exc)
            progress.advance(task)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _json(file: str, c: ProjectCheck) -> dict[str, Any]:
    return {
        "file": file,
        "project": c.project,
        "published_total": _number(c.published_total),
        "recomputed_total": _number(c.recomputed_total),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "indicator": f.indicator,
                "published": f.published,
                "recomputed": f.recomputed,
                "message": f.message,
            }
            for f in c.findings
        ],
        "notes": list(c.notes),
        "repairs": repairs_json(list(c.repairs)),
    }


def _print(console: Console, file: str, c: ProjectCheck) -> None:
    console.rule(f"{c.project}（{file}）", align="left")
    if c.published_total is not None:
        console.print(
            f"公布总分 {_number(c.published_total)}，复核总分 {_number(c.recomputed_total)}"
        )
    table = Table(header_style="bold", expand=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("代码", no_wrap=True)
    for name, ratio in (("指标", 2), ("公布", 1), ("复核", 1)):
        table.add_column(name, overflow="fold", ratio=ratio)
    table.add_column("说明", overflow="fold", ratio=6)
    for f in c.findings:
        table.add_row(
            f"[{_STYLE[f.severity]}]{f.severity.label}[/]",
            f.code,
            f.indicator or "（项目）",
            f.published or "",
            f.recomputed or "",
            f.message,
        )
    console.print(table if c.findings else "[green]未发现问题[/]")
    for note in c.notes:
        console.print(f"[dim]注：{note}[/]")


def _summary(console: Console, results: list[tuple[str, ProjectCheck]]) -> None:
    table = Table(title="汇总", header_style="bold")
    for name in ("文件", "项目", "公布总分", "复核总分", "问题数"):
        table.add_column(name, overflow="fold")
    for file, c in results:
        table.add_row(
            file,
            c.project,
            _number(c.published_total) or "—",
            _number(c.recomputed_total) or "—",
            str(len(c.findings)),
        )
    console.print(table)


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--profile",
    default="national",
    metavar="NAME|PATH",
    help="评分口径：national（默认）、shanxi，或 TOML 文件路径。",
)
@click.option("--review-profile", default=None, metavar="NAME|PATH", help="审核规则配置。")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="输出格式。"
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=None,
    help="存在该级别及以上的问题时退出状态为 1。",
)
def check_command(
    paths: tuple[Path, ...], profile: str, review_profile: str | None, fmt: str, fail_on: str | None
) -> None:
    """复核公布的绩效自评表（jixiao.selfeval/1）的得分、执行率、总分与等级；对任何目标表给出审核意见。

    PATHS 可以是多个文件或目录。
    """
    try:
        scoring, review = load_scoring_profile(profile), load_profile(review_profile)
    except JixiaoError as exc:
        click.echo(f"错误：{exc}", err=True)
        raise SystemExit(2) from None
    results: list[tuple[str, ProjectCheck]] = []
    failed: list[str] = []
    for path, outcome in _run(_files(paths), scoring, review, quiet=fmt == "json"):
        if isinstance(outcome, str):
            failed.append(outcome)
        else:
            results.extend((path.name, c) for c in outcome)
    if fmt == "json":
        projects = [_json(f, c) for f, c in results]
        click.echo(json.dumps({"format": CHECK_FORMAT, "projects": projects}, ensure_ascii=False))
    else:
        console = Console()
        for file, c in results:
            _print(console, file, c)
        if len(results) > 1:
            _summary(console, results)
    for message in failed:
        click.echo(f"错误：{message}", err=True)
    if failed and not results:
        raise SystemExit(2)
    if fail_on is not None:
        bar = Severity(fail_on).rank
        if any(f.severity.rank >= bar for _, c in results for f in c.findings):
            raise SystemExit(1)
