"""A stitched ProjectDraft → a domain Project: name, amounts, goal and indicators.

Every change beyond whitespace inside the indicator text is recorded as a repair; anything the
reader cannot settle (conflicting amounts, a missing name) becomes a warning.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.domain.enums import FundSource, MoneyUnit
from jixiao.domain.framework import Framework
from jixiao.domain.indicator import Indicator
from jixiao.domain.money import FEN_PER_UNIT, convert
from jixiao.domain.project import Amounts, Project
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.domain.target import parse_target
from jixiao.ingest.columns import MONEY_COLUMNS, Column
from jixiao.ingest.indicators import parse_indicator_text
from jixiao.ingest.normalize import amount_unit, clean_text, strip_tags
from jixiao.ingest.rows import AmountCell
from jixiao.ingest.stitch import ProjectDraft

FRAGMENT_MAX_CHARS = 4
# Target values repeat a lot ("100%", "≥95%"); TargetValue is immutable, so share parses.
_target = lru_cache(maxsize=8192)(parse_target)
_SENTENCE_END = re.compile(r"[。;；!！?？]")


def build_project(
    draft: ProjectDraft, framework: Framework, unit: MoneyUnit | None = None
) -> Project:
    """The project; an amount written with another unit than the table's (``¥1250000元`` in a
    万元 table) is converted to ``unit`` and the conversion recorded as a repair."""
    project = Project(name="", source=SourceRef(lines=draft.lines))
    project.repairs.extend(draft.repairs)
    project.repairs.extend(r for piece in draft.pieces for r in piece.repairs)
    project.warnings.extend(draft.warnings)
    project.name = _name(draft, project)
    project.code = next((p.code for p in draft.pieces if p.code), None)
    project.amounts = _amounts(draft, project, unit)
    project.goal = _goal(draft, project)
    project.indicators = _indicators(draft, project, framework)
    return project


def _name(draft: ProjectDraft, project: Project) -> str:
    raw_parts = [p.name for p in draft.pieces if p.name]
    if not raw_parts:
        project.warnings.append(
            ParseWarning("name_missing", "项目名称缺失", SourceRef(lines=draft.lines))
        )
        return ""
    raw = "".join(raw_parts)
    name = clean_text(raw)
    shown = " | ".join(raw_parts)
    if shown != name:
        reason = "删除换行产生的空格" if len(raw_parts) == 1 else "拼接跨页拆分的项目名称"
        project.repairs.append(Repair("name", shown, name, reason))
    if len(raw_parts) > 1:
        project.warnings.append(
            ParseWarning(
                "name_split",
                f"项目名称跨页拆分为“{'”“'.join(clean_text(p) for p in raw_parts)}”，"
                f"拼接为“{name}”，可能不完整，请核对原表",
                SourceRef(lines=draft.lines),
            )
        )
    return name


def _amount_repair(cell: AmountCell) -> Repair | None:
    if cell.point_restored:
        return Repair(
            f"amounts.{cell.column.value}", cell.raw, str(cell.value), "补回识别丢失的小数点"
        )
    if strip_tags(cell.raw) != cell.raw:
        return Repair(f"amounts.{cell.column.value}", cell.raw, str(cell.value), "删除 HTML 标记")
    return None


def _in_unit(cell: AmountCell, unit: MoneyUnit | None, project: Project) -> Decimal:
    written = amount_unit(cell.raw)
    if unit is None or written is None or written is unit:
        return cell.value
    places = Decimal(1).scaleb(-(len(str(FEN_PER_UNIT[unit])) - 1))
    value = convert(cell.value, written, unit).quantize(places)
    reason = f"金额以{written.label}填写，已折算为表格单位{unit.label}"
    project.repairs.append(Repair(f"amounts.{cell.column.value}", cell.raw, str(value), reason))
    return value


def _amounts(draft: ProjectDraft, project: Project, unit: MoneyUnit | None) -> Amounts:
    chosen: dict[Column, AmountCell] = {}
    for piece in draft.pieces:
        if piece.ambiguous_money:
            project.warnings.append(
                ParseWarning(
                    "amount_columns_ambiguous",
                    f"第{piece.line}行有{len(piece.amounts)}个金额但缺少空列，按顺序对应各资金来源",
                    SourceRef(lines=(piece.line,)),
                )
            )
        for cell in piece.amounts:
            _choose_amount(chosen, cell, piece.line, project)
    values: dict[str, Decimal | None] = {c.value: None for c in Column}
    for column, cell in chosen.items():
        values[column.value] = _in_unit(cell, unit, project)
        repair = _amount_repair(cell)
        if repair is not None:
            project.repairs.append(repair)
    return Amounts(values["total"], values["fiscal"], values["special"], values["other"])


def _choose_amount(
    chosen: dict[Column, AmountCell], cell: AmountCell, line: int, project: Project
) -> None:
    kept = chosen.get(cell.column)
    if kept is None:
        chosen[cell.column] = cell
    elif kept.value != cell.value:
        project.warnings.append(
            ParseWarning(
                "amount_conflict",
                f"{_MONEY_LABEL[cell.column]}在跨页的两部分中不一致：{kept.value} 与 "
                f"{cell.value}（第{line}行），保留 {kept.value}，请核对原表",
                SourceRef(lines=(line,)),
            )
        )


_MONEY_LABEL = {column: FundSource(column.value).label for column in MONEY_COLUMNS}


def is_fragment(text: str) -> bool:
    """A few characters with no sentence end: debris of a wrapped goal, not a goal."""
    compact = clean_text(text)
    return len(compact) <= FRAGMENT_MAX_CHARS and not _SENTENCE_END.search(compact)


def _goal(draft: ProjectDraft, project: Project) -> str | None:
    texts = [t for p in draft.pieces for t in p.goal_texts]
    keep = [t for t in texts if not is_fragment(t)] or texts[:1]
    for text in texts:
        if text not in keep:
            project.repairs.append(Repair("goal", text, None, "删除串入金额栏的绩效目标文字碎片"))
    if not keep:
        return None
    raw = "".join(keep)
    goal = clean_text(raw)
    if goal != " | ".join(keep):
        reason = "删除换行产生的空格" if len(keep) == 1 else "拼接跨页拆分的绩效目标并删除换行空格"
        project.repairs.append(Repair("goal", " | ".join(keep), goal, reason))
    return goal or None


def _piece_spans(draft: ProjectDraft) -> list[tuple[int, int, int]]:
    """(start, end, line) of each piece's part of the joined indicator text."""
    spans: list[tuple[int, int, int]] = []
    offset = 0
    for piece in draft.pieces:
        size = len(piece.clean_indicator)
        if size:
            spans.append((offset, offset + size, piece.line))
            offset += size
    return spans


def _item_lines(spans: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, ...]:
    return tuple(line for a, b, line in spans if a < end and start < b)


def _indicators(draft: ProjectDraft, project: Project, framework: Framework) -> list[Indicator]:
    text = draft.indicator_text
    parsed = parse_indicator_text(text, framework)
    project.repairs.extend(parsed.repairs)
    project.warnings.extend(parsed.warnings)
    spans = _piece_spans(draft)
    ends = [item.start for item in parsed.items[1:]] + [len(text)] if parsed.items else []
    return [
        Indicator(
            name=item.name,
            level1=item.level1,
            level2=item.level2,
            period=None if item.period is None else _target(item.period),
            annual=None if item.annual is None else _target(item.annual),
            source=SourceRef(lines=_item_lines(spans, item.start, end) or draft.lines),
        )
        for item, end in zip(parsed.items, ends, strict=True)
    ]
