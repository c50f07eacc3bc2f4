"""``jixiao review FILE`` and ``jixiao rules``: check a target table against the rule catalogue."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from jixiao.cli import cli
from jixiao.domain.document import Document
from jixiao.domain.enums import Severity
from jixiao.domain.exchange import document_from_json
from jixiao.errors import JixiaoError, UnreadableDocument
from jixiao.ingest import read_document
from jixiao.review import (
    ReviewProfile,
    ReviewReport,
    all_rules,
    get_rule,
    load_profile,
    report_to_json,
    review_document,
)

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_GRADE_STYLE = {"优": "green", "良": "cyan", "中": "yellow", "差": "bold red"}


def _read(path: Path) -> Document:
    """A target table, or a ``jixiao.document/1`` JSON file written by ``jixiao parse``."""
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            return document_from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UnreadableDocument(f"{path.name}: 不是有效的 JSON（{exc}）") from None
    return read_document(path)


def _load(path: Path, profile_name: str | None) -> tuple[Document, ReviewProfile]:
    try:
        profile = load_profile(profile_name)
        return _read(path), profile
    except JixiaoError:
        raise
    except Exception as exc:  # a reader bug must still end in one line, not a traceback
        raise JixiaoError(
            f"{path.name}: 读取时发生内部错误（{type(exc).__name__}: {exc}）"
        ) from exc


def _evidence(evidence: dict[str, str]) -> str:
    return "；".join(f"{k}：{v}" for k, v in evidence.items())


def _print_project(console: Console, report: ReviewReport, index: int) -> None:
    grade = report.project_grades[index]
    findings = report.by_project(index)
    style = _GRADE_STYLE.get(grade.grade.label, "")
    console.rule(
        f"[{style}]{grade.grade.label}[/] {grade.score}分  {index + 1}. {grade.project}",
        align="left",
    )
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    table.add_column("指标", overflow="fold", ratio=2)
    table.add_column("问题", overflow="fold", ratio=5)
    table.add_column("依据", overflow="fold", ratio=3)
    for f in sorted(findings, key=lambda f: (-f.severity.rank, f.rule)):
        table.add_row(
            f"[{_SEVERITY_STYLE[f.severity]}]{f.severity.label}[/]",
            f.rule,
            f.indicator or "（项目）",
            f.message,
            _evidence(f.evidence),
        )
    console.print(table)
    console.print(f"[dim]{grade.explanation}[/]")


def _print_report(console: Console, report: ReviewReport, title: str) -> None:
    console.print(f"[bold]{title}[/] 审核结果（配置：{report.profile}）")
    order = sorted(report.project_grades, key=lambda g: (g.score, g.project_index))
    clean = [g for g in order if not report.by_project(g.project_index)]
    for grade in order:
        if grade not in clean:
            _print_project(console, report, grade.project_index)
    if clean:
        console.print(f"未发现问题的项目（{len(clean)}个）：" + "、".join(g.project for g in clean))
    _print_summary(console, report)


def _print_summary(console: Console, report: ReviewReport) -> None:
    counts = Counter(f.rule for f in report.findings)
    table = Table(title="按规则统计", header_style="bold")
    for column in ("规则", "名称", "级别", "条数"):
        table.add_column(column)
    for rule_id, n in sorted(counts.items()):
        spec = get_rule(rule_id)
        table.add_row(rule_id, spec.title, spec.severity.label, str(n))
    console.print(table)
    doc = report.document_grade
    console.print(f"[bold]文档等级：{doc.grade.label}[/]（{doc.explanation}）")


def _fails(report: ReviewReport, threshold: str | None) -> bool:
    if threshold is None:
        return False
    rank = Severity(threshold).rank
    return any(f.severity.rank >= rank for f in report.findings)


@cli.command("review")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    help="输出格式：table（默认，按项目分组、得分低者在前）或 json（jixiao.findings/1）。",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="存在该级别及以上的发现时以状态1退出（用作审核关口）。",
)
@click.option(
    "--profile",
    "profile_name",
    default=None,
    metavar="NAME|PATH",
    help="审核配置：national（默认）、guangzhou，或 TOML 文件路径。",
)
def review_command(file: Path, fmt: str, fail_on: str | None, profile_name: str | None) -> None:
    """审核绩效目标表 FILE，列出每个问题、依据和修改建议，并给出质量等级。"""
    try:
        doc, profile = _load(file, profile_name)
    except JixiaoError as exc:
        click.echo(f"错误：{exc}", err=True)
        raise SystemExit(2) from None
    report = review_document(doc, profile)
    if fmt == "json":
        click.echo(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    else:
        _print_report(Console(), report, doc.title or file.name)
    if _fails(report, fail_on):
        raise SystemExit(1)


@cli.command("rules")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="输出格式。"
)
@click.option(
    "--profile",
    "profile_name",
    default=None,
    metavar="NAME|PATH",
    help="按该审核配置显示严重程度，并略去停用的规则。",
)
def rules_command(fmt: str, profile_name: str | None) -> None:
    """列出审核规则目录（编号、名称、严重程度、审核维度）。"""
    try:
        profile = load_profile(profile_name)
    except JixiaoError as exc:
        click.echo(f"错误：{exc}", err=True)
        raise SystemExit(2) from None
    rules = [r for r in all_rules() if r.id not in profile.disabled]
    severity = {r.id: profile.severity_for(r.id, r.severity) for r in rules}
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "title": r.title,
                "severity": severity[r.id].value,
                "dimension": r.dimension.label,
                "scope": r.scope.value,
                "rationale": r.rationale,
                "suggestion": r.suggestion,
            }
            for r in rules
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"审核规则目录（{len(rules)}条，配置：{profile.name}）", header_style="bold"
    )
    for column in ("编号", "名称", "严重程度", "审核维度", "范围"):
        table.add_column(column)
    for r in rules:
        table.add_row(r.id, r.title, severity[r.id].label, r.dimension.label, r.scope.label)
    Console().print(table)
