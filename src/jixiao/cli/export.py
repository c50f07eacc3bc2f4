"""``jixiao export FILE``: the official tables as Excel or PDF, from files, without a database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jixiao.cli import cli
from jixiao.domain.document import Document
from jixiao.domain.exchange import document_from_json
from jixiao.errors import JixiaoError, UnreadableDocument
from jixiao.ingest import read_document
from jixiao.review import load_profile, review_document
from jixiao.scoring.formats import load_monitoring, load_selfeval
from jixiao.scoring.weights import load_scoring_profile

if TYPE_CHECKING:  # the Excel/PDF writers are loaded only when ``jixiao export`` runs
    from jixiao.export import Sheet
    from jixiao.export.tables import Format

TABLES = {
    "targets": "项目支出绩效目标表",
    "monitoring": "绩效目标执行监控表",
    "selfeval": "项目支出绩效自评表",
    "review": "审核意见表",
}


def read_target_document(path: Path) -> Document:
    """A target table, or the ``jixiao.document/1`` JSON that ``jixiao parse`` writes."""
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            return document_from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UnreadableDocument(f"{path.name}: 不是有效的 JSON（{exc}）") from None
    return read_document(path)


def _builder(
    table: str, project: str | None, profile: str, review_profile: str | None
) -> Callable[[Path], list[Sheet]]:
    from jixiao.export import monitoring_sheets, review_sheets, selfeval_sheets, target_sheets

    def targets(path: Path) -> list[Sheet]:
        return target_sheets(read_target_document(path), project)

    def review(path: Path) -> list[Sheet]:
        doc = read_target_document(path)
        return review_sheets(doc, review_document(doc, load_profile(review_profile)), project)

    def monitoring(path: Path) -> list[Sheet]:
        return monitoring_sheets(load_monitoring(path), load_scoring_profile(profile), project)

    def selfeval(path: Path) -> list[Sheet]:
        return selfeval_sheets(load_selfeval(path), load_scoring_profile(profile), project)

    return {"targets": targets, "review": review, "monitoring": monitoring, "selfeval": selfeval}[
        table
    ]


def _format(fmt: str | None, out: Path) -> Format:
    if fmt is not None:
        return "pdf" if fmt == "pdf" else "xlsx"
    return "pdf" if out.suffix.lower() == ".pdf" else "xlsx"


def _write(data: bytes, out: Path) -> None:
    """Write all or nothing: a temporary file beside ``out``, renamed into place."""
    if not out.parent.is_dir():
        raise JixiaoError(f"输出目录不存在：{out.parent}")
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise JixiaoError(f"无法写入 {out}：{exc.strerror}") from None


@cli.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--table",
    type=click.Choice(list(TABLES)),
    required=True,
    help="targets 绩效目标表（FILE 为目标表或 jixiao.document/1 JSON）；monitoring 监控表、"
    "selfeval 自评表（FILE 为 jixiao.monitoring/1、jixiao.selfeval/1 的 JSON/TOML）；"
    "review 审核意见表（FILE 为目标表）。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "pdf"]),
    default=None,
    help="输出格式；不写时按 --out 的扩展名（.pdf 为 PDF，否则 Excel）。",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="输出文件路径。")
@click.option(
    "--project",
    default=None,
    metavar="NAME",
    help="只导出这个项目（完整名称或能唯一确定项目的片段）；targets 表此时输出单个项目的申报表。",
)
@click.option(
    "--profile",
    default="national",
    metavar="NAME|PATH",
    help="评分与预警口径：national（默认）、shanxi，或 TOML 文件路径。",
)
@click.option(
    "--review-profile", default=None, metavar="NAME|PATH", help="review 表使用的审核配置。"
)
def export_command(
    file: Path,
    table: str,
    fmt: str | None,
    out: Path,
    project: str | None,
    profile: str,
    review_profile: str | None,
) -> None:
    """把 FILE 导出为官方格式的表格（Excel 或 PDF，A4 横向）。"""
    from jixiao.export import render

    try:
        sheets = _builder(table, project, profile, review_profile)(file)
        data = render(sheets, _format(fmt, out))
        _write(data, out)
    except JixiaoError as exc:
        click.echo(f"错误：{exc}", err=True)
        raise SystemExit(2) from None
    except Exception as exc:  # a bug must still end in one line and a status, not a traceback
        click.echo(f"错误：导出时发生内部错误（{type(exc).__name__}: {exc}）", err=True)
        raise SystemExit(3) from exc
    click.echo(f"已导出{TABLES[table]}（{len(sheets)} 张）：{out}")
