"""One HTML page showing every stage of a parse: raw cells, layout, row mapping, projects.

Used by ``jixiao parse --debug``; plain string building with escaping (no template engine in
the library).
"""

from __future__ import annotations

from html import escape

from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.result import ParseResult, TableParse
from jixiao.ingest.rows import RowPiece

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;font-size:14px}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:3px 6px;
vertical-align:top;max-width:40em;word-break:break-all}th{background:#eef}
.ln{color:#888;text-align:right}.empty{background:#f6f6f6}.money{color:#064}.ind{color:#036}
.warn{color:#a40}.merged{background:#fffbe6}
.side{display:flex;gap:2em;align-items:flex-start}.grid td{white-space:pre-wrap}
.rep{color:#046}h2{border-bottom:2px solid #99c}
"""


def _cell(text: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(str(text))}</td>"


def _raw_section(part: TableParse) -> str:
    table = part.table
    if table.grid:
        return "<h2>1. 原始网格（合并单元格按原样绘出，悬停看位置）</h2>" + _grid(table)
    rows = []
    for row in table.rows:
        cells = "".join(_cell(c.text, "empty" if c.is_empty else "") for c in row.cells)
        rows.append(f"<tr>{_cell(row.line, 'ln')}{cells}</tr>")
    return "<h2>1. 原始单元格（按行）</h2><table>" + "".join(rows) + "</table>"


def _grid(table: RawTable) -> str:
    """The grid as an HTML table: merged cells with their rowspan/colspan, refs as titles,
    blank rows the reader skipped shown as such so spans line up."""
    rows = []
    covered: set[tuple[int, int]] = set()
    by_line = {row.line: row for row in table.rows}
    first = min(by_line, default=1)
    last = max((c.line + c.rowspan - 1 for r in table.rows for c in r.cells), default=0)
    for line in range(first, last + 1):
        row = by_line.get(line)
        cells = []
        at = {c.col: c for c in row.cells} if row is not None else {}
        for col in range(table.width):
            if (line, col) in covered:
                continue
            cell = at.get(col)
            if cell is None:
                cells.append('<td class="empty"></td>')
                continue
            for r in range(line, line + cell.rowspan):
                covered.update((r, k) for k in range(col, col + cell.colspan))
            span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            cls = "empty" if cell.is_empty else ("merged" if span else "")
            cells.append(
                f'<td class="{cls}"{span} title="{escape(cell.where)}">{escape(cell.text)}</td>'
            )
        rows.append(f"<tr>{_cell(line, 'ln')}{''.join(cells)}</tr>")
    return '<table class="grid">' + "".join(rows) + "</table>"


def _piece_row(piece: RowPiece) -> str:
    money = "；".join(f"{a.column.value}={a.value}（{a.raw}）" for a in piece.amounts)
    return (
        "<tr>"
        + _cell(piece.line, "ln")
        + _cell(piece.name or "")
        + _cell(money, "money")
        + _cell(" | ".join(piece.goal_texts))
        + _cell(piece.indicator or "", "ind")
        + "</tr>"
    )


def _columns(part: TableParse) -> str:
    if part.columns:
        return "，".join(f"第{c + 1}列={label}" for c, label in part.columns.items())
    header = part.header
    return ", ".join(str(c) for c in header.columns) if header else "（未找到表头，按默认列序）"


def _mapping_section(result: TableParse) -> str:
    columns = _columns(result)
    head = "<tr><th>行</th><th>项目名称</th><th>金额</th><th>绩效目标</th><th>绩效指标</th></tr>"
    rows = "".join(_piece_row(p) for p in result.pieces)
    return (
        f"<h2>2. 版式：{escape(result.layout)}（置信度 {result.confidence:.2f}）</h2>"
        f"<p>表头列：{escape(columns)}；表头及页眉页脚行：{escape(str(list(result.furniture_lines)))}</p>"
        f"<h2>3. 各行字段归属（按内容判定）</h2><table>{head}{rows}</table>"
    )


def _projects_section(result: TableParse) -> str:
    parts = ["<h2>4. 项目（跨页拼接后）</h2>"]
    for index, project in enumerate(result.document.projects, start=1):
        parts.append(
            f"<h3>{index}. {escape(project.name)} "
            f"<small>{escape(project.source.describe())}</small></h3>"
        )
        rows = "".join(
            "<tr>"
            + _cell(i.level1.format() if i.level1 else "")
            + _cell(i.level2.format() if i.level2 else "")
            + _cell(i.name)
            + _cell(i.period.raw if i.period else "")
            + _cell(i.annual.raw if i.annual else "")
            + "</tr>"
            for i in project.indicators
        )
        parts.append(f"<table>{rows}</table>")
        for r in project.repairs:
            parts.append(
                f'<p class="rep">修复 {escape(r.field)}：“{escape(str(r.before))}” → '
                f"“{escape(str(r.after))}”（{escape(r.reason)}）</p>"
            )
        for w in project.warnings:
            parts.append(f'<p class="warn">警告 {escape(w.code)}：{escape(w.message)}</p>')
    for w in result.document.warnings:
        parts.append(f'<p class="warn">文档警告 {escape(w.code)}：{escape(w.message)}</p>')
    return "".join(parts)


def _table_sections(part: TableParse) -> str:
    name = f"<h2>表：{escape(part.table.name)}</h2>" if part.table.name else ""
    side = (
        f'<div class="side"><div>{_raw_section(part)}</div>'
        f"<div>{_projects_section(part)}</div></div>"
    )
    return name + side + _mapping_section(part)


def debug_html(result: ParseResult) -> str:
    """The whole debug page for one parse."""
    title = escape(result.table.source_name)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>解析过程：{title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>解析过程：{title}</h1><p>{escape('；'.join(result.table.notes))}</p>"
        + "".join(_table_sections(part) for part in result.parts)
        + "</body></html>"
    )
