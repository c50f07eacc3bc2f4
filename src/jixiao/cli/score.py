"""``jixiao score FILE``: self-evaluation scores, every point explained, from a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from jixiao.cli import cli
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.domain.monitoring import ProjectMonitoring
from jixiao.errors import JixiaoError
from jixiao.scoring.explain import EvaluationScore
from jixiao.scoring.formats import load_monitoring, load_selfeval
from jixiao.scoring.reconcile import Discrepancy, reconcile
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import ScoringProfile, load_scoring_profile

SCORES_FORMAT = "jixiao.scores/1"
_GRADE_STYLE = {"优": "green", "良": "cyan", "中": "yellow", "差": "bold red"}


def _score_json(score: EvaluationScore, found: list[Discrepancy]) -> dict[str, Any]:
    return {
        "project": score.project,
        "total": str(score.total),
        "grade": score.grade.label,
        "lines": [
            {
                "kind": ln.kind,
                "group": ln.group,
                "name": ln.name,
                "target": ln.target,
                "actual": ln.actual,
                "weight": str(ln.weight),
                "points": None if ln.points is None else str(ln.points),
                "formula": ln.formula,
                "branch": ln.branch,
            }
            for ln in score.lines
        ],
        "notes": list(score.notes),
        "issues": [
            {"indicator": i.indicator, "field": i.field, "message": i.message} for i in score.issues
        ],
        "discrepancies": [
            {
                "code": d.code,
                "severity": d.severity.value,
                "indicator": d.indicator,
                "message": d.message,
                "evidence": d.evidence,
            }
            for d in found
        ],
    }


def _print_score(console: Console, score: EvaluationScore, found: list[Discrepancy]) -> None:
    style = _GRADE_STYLE.get(score.grade.label, "")
    console.rule(f"[{style}]{score.grade.label}[/] {score.total}分  {score.project}", align="left")
    table = Table(header_style="bold", expand=True)
    for name, ratio in (
        ("类别", 2),
        ("指标", 3),
        ("指标值", 2),
        ("实际", 2),
        ("分值", 1),
        ("得分", 1),
        ("计分说明", 6),
    ):
        table.add_column(name, overflow="fold", ratio=ratio)
    for ln in score.lines:
        points = "不计分" if ln.points is None else str(ln.points)
        table.add_row(ln.group, ln.name, ln.target, ln.actual, str(ln.weight), points, ln.formula)
    console.print(table)
    for note in score.notes:
        console.print(f"[dim]注：{note}[/]")
    for issue in score.issues:
        console.print(f"[yellow]待补正[/] {issue.indicator or score.project}：{issue.message}")
    for d in found:
        console.print(f"[red]{d.code} {d.severity.label}[/] {d.indicator or ''} {d.message}")
    console.print(f"[bold]总分 {score.total}，等级 {score.grade.label}[/]")


def _load(
    file: Path, monitoring: Path | None, profile: str, project: str | None
) -> tuple[list[SelfEvaluation], dict[str, ProjectMonitoring], ScoringProfile]:
    from jixiao.export.tables import pick  # loads the Excel/PDF writers: only when scoring

    evaluations = pick(load_selfeval(file), project, lambda e: e.project)
    records = {r.project: r for r in load_monitoring(monitoring)} if monitoring else {}
    return evaluations, records, load_scoring_profile(profile)


@cli.command("score")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--profile",
    default="national",
    metavar="NAME|PATH",
    help="评分口径：national（默认）、shanxi，或 TOML 文件路径。",
)
@click.option("--project", default=None, metavar="NAME", help="只评这个项目。")
@click.option(
    "--monitoring",
    type=click.Path(path_type=Path),
    default=None,
    help="同年度的监控数据（jixiao.monitoring/1），用于核对年中与年终数据是否一致。",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="输出格式。"
)
def score_command(
    file: Path, profile: str, project: str | None, monitoring: Path | None, fmt: str
) -> None:
    """按自评数据 FILE（jixiao.selfeval/1）打分，逐项说明指标值、实际值、公式和得分。"""
    try:
        evaluations, records, scoring = _load(file, monitoring, profile, project)
    except JixiaoError as exc:
        click.echo(f"错误：{exc}", err=True)
        raise SystemExit(2) from None
    results = []
    for ev in evaluations:
        score = score_evaluation(ev, scoring)
        results.append((score, reconcile(ev, records.get(ev.project), scoring, score)))
    if fmt == "json":
        payload = {
            "format": SCORES_FORMAT,
            "profile": scoring.id,
            "projects": [_score_json(s, d) for s, d in results],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"[bold]绩效自评评分[/]（口径：{scoring.name}）")
    for score, found in results:
        _print_score(console, score, found)
