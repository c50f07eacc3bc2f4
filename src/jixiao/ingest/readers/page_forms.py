"""The forms in a page's cells, found by their labels, laid out again as the grid they were.

Each 项目名称 starts a form (a title just before it belongs to it). What both forms share is
here: the key–value header (项目名称 / 主管部门 / 实施单位) and the indicator table (its header
labels, then one row per indicator, ``page_rows``), written back as the grid the form layouts
read — label cells with their values beside or under them, one indicator per row, the target
in one cell. The blocks of each form are in ``page_selfeval`` and ``page_target``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby, takewhile

from jixiao.domain.enums import Operator
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.domain.target import parse_target
from jixiao.ingest.normalize import to_halfwidth
from jixiao.ingest.readers.page_glued import one_cell, unglue
from jixiao.ingest.readers.page_rows import (
    Column,
    Row,
    can_start,
    coded_levels,
    columns,
    is_label,
    is_number,
    is_slip,
    read_row,
)
from jixiao.ingest.readers.page_tokens import Page, Token, is_level, is_level1, is_title

Cell = tuple[int, str, int]  # column, text, text line
HEADER_KEYS = ("项目名称", "主管部门及代码", "主管部门", "实施单位", "预算单位")
INDICATOR_HEADS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "实施期指标值": "period",
    "中期指标值": "period",
    "年度指标值": "target",
    "目标值": "target",
    "指标值": "value",
    "指标性质": "op",
    "度量单位": "unit",
    "计量单位": "unit",
    "实际完成值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "指标解释": "explanation",
}
# The grid headers the canonical rows are written under.
GRID_HEADS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "period": "实施期指标值",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因分析及改进措施",
    "explanation": "指标解释",
}
_CODED = re.compile(r"\s*\d")
GE_LOOKALIKES = ("⩾", "≽", "≳", "》=", "≻=")
ENDS = ("总分", "合计", "总计", "自评等级", "评价等级", "项目名称")


def key(token: Token) -> str:
    return to_halfwidth(token.text).replace(" ", "").rstrip(":：")


@dataclass
class FormText:
    """One form's cells, and the grid rows, mends and doubts made of them."""

    tokens: list[Token]
    lines: dict[int, int]  # text line → number of cells on it
    rows: list[list[Cell]] = field(default_factory=list)
    # the 分值 and 得分 of the 项目资金 block's total line, part of the 总分 row's sums
    funds_figures: dict[str, Token] = field(default_factory=dict)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, token: Token | None = None) -> None:
        where = f"（第{token.line}行）" if token is not None else ""
        source = SourceRef(lines=(token.line,), raw_text=token.text) if token else SourceRef()
        self.warnings.append(ParseWarning(code, f"{message}{where}", source))

    def find(self, test: tuple[str, ...], start: int = 0) -> int | None:
        return next(
            (i for i in range(start, len(self.tokens)) if key(self.tokens[i]) in test), None
        )

    def starts(self, prefix: str) -> int | None:
        return next((i for i, t in enumerate(self.tokens) if key(t).startswith(prefix)), None)


def split_forms(page: Page) -> tuple[list[FormText], list[Token]]:
    """The forms of the page, and the cells before the first (a fragment of an earlier one)."""
    tokens = page.tokens
    counts: dict[int, int] = {}
    for t in tokens:
        counts[t.line] = counts.get(t.line, 0) + 1
    starts = [i for i, t in enumerate(tokens) if key(t) == "项目名称"]
    for n, i in enumerate(starts):
        floor = starts[n - 1] + 1 if n else 0
        title = next(
            (j for j in range(i - 1, max(floor, i - 3) - 1, -1) if is_title(key(tokens[j]))), None
        )
        if title is not None and all(
            len(t.text) < 20 and not is_label(t.text) for t in tokens[title:i]
        ):
            starts[n] = title  # the title, and what continues it (``（2023年度）``) before 项目名称
    if not starts:
        return [], tokens
    forms = [
        FormText(tokens[s : starts[n + 1] if n + 1 < len(starts) else len(tokens)], counts)
        for n, s in enumerate(starts)
    ]
    before = [t for t in tokens[: starts[0]] if not is_title(key(t))]
    return forms, before


# --- the blocks both forms share ------------------------------------------------------------


def value_after(form: FormText, i: int) -> str:
    """The text after the label at ``i`` up to the next label (pieces a copy split, joined)."""
    taken = list(takewhile(lambda t: not stops(t), form.tokens[i + 1 :]))
    text = "".join(t.text for t in taken)
    if len(taken) > 1:
        form.repairs.append(
            Repair(key(form.tokens[i]), " ".join(t.text for t in taken), text, "合并被拆开的文字")
        )
    return text


def stops(token: Token) -> bool:
    k = to_halfwidth(token.text).replace(" ", "")
    return is_label(token.text) or k.startswith(("项目资金", "其中")) or is_title(k)


def header_rows(form: FormText) -> None:
    if is_title(key(form.tokens[0])):
        name_at = form.find(("项目名称",)) or 1
        title = "".join(t.text for t in form.tokens[:name_at])
        form.rows.append([(0, title, form.tokens[0].line)])
    pairs: list[tuple[str, str, int]] = []
    for label in HEADER_KEYS:
        i = form.find((label,))
        if i is None or any(p[0].startswith(label[:4]) for p in pairs):
            continue
        pairs.append((label, value_after(form, i), form.tokens[i].line))
    name = next((p for p in pairs if p[0] == "项目名称"), None)
    if name is not None:
        form.rows.append([(0, name[0], name[2]), (1, name[1], name[2])])
    rest = [p for p in pairs if p[0] != "项目名称"]
    if rest:
        row: list[Cell] = []
        for label, value, line in rest:
            row += [(len(row), label, line), (len(row) + 1, value, line)]
        form.rows.append(row)


def is_figure(token: Token) -> bool:
    text = token.text.strip()
    return is_number(text) or text in ("—", "-", "/", "——", "") or is_slip(text)


def indicator_heads(form: FormText) -> tuple[list[str], int, int] | None:
    at = form.find(("一级指标", "三级指标"))
    if at is None:
        return None  # the layout reports the form without indicators
    heads: list[str] = []
    i = at
    while i < len(form.tokens) and key(form.tokens[i]) in INDICATOR_HEADS:
        heads.append(INDICATOR_HEADS[key(form.tokens[i])])
        i += 1
    end = next(
        (j for j in range(i, len(form.tokens)) if key(form.tokens[j]).startswith(ENDS)),
        len(form.tokens),
    )
    return heads, i, end


Mend = Callable[[FormText, list[Row], list[Token], int], None]


def indicator_rows(
    form: FormText, heads: list[str], start: int, end: int, mend: Mend | None = None
) -> None:
    """The indicator header and rows as grid rows (the target written whole in one cell);
    ``mend`` may correct the rows' figures first (the 自评表's ``IO`` for 10)."""
    grid_fields = ["level1", "level2", "name"]
    grid_fields += ["period"] if "period" in heads else []
    grid_fields += ["target"]
    grid_fields += [
        f for f in ("actual", "weight", "score", "deviation", "explanation") if f in heads
    ]
    head_line = form.tokens[max(start - 1, 0)].line
    form.rows.append(
        [(0, "绩效指标", head_line)]
        + [(1 + k, GRID_HEADS[f], head_line) for k, f in enumerate(grid_fields)]
    )
    rows, budget = _body_rows(form, form.tokens[start:end], heads)
    if not rows:
        form.warn("no_indicators", "指标表只有表头，没有任何指标", form.tokens[start - 1])
    if mend is not None:
        mend(form, rows, budget, end)
    if budget and "weight" in grid_fields:  # 预算执行率 | 分值 | 得分
        weight_col = 1 + grid_fields.index("weight")
        form.rows.append(
            [(1, budget[0].text, budget[0].line)]
            + [(weight_col + k, t.text, t.line) for k, t in enumerate(budget[1:])]
        )
    split = "value" in heads
    values = {1 + grid_fields.index(f) for f in ("period", "target") if f in grid_fields}
    for row in rows:
        cells = _grid_row(row, grid_fields, split)
        form.rows.append(
            [(c, _mend_operator(form, t, ln) if c in values else t, ln) for c, t, ln in cells]
        )


def _mend_operator(form: FormText, target: str, line: int) -> str:
    """``⩾95%`` is ``≥95%`` with the sign misread: mended where the operator vocabulary and the
    value grammar both confirm it (the mended value reads as ≥ a number, the written one not)."""
    if not target.startswith(GE_LOOKALIKES) or parse_target(target).op is Operator.GE:
        return target
    sign = next(s for s in GE_LOOKALIKES if target.startswith(s))
    mended = "≥" + target[len(sign) :]
    if parse_target(mended).op is not Operator.GE:
        return target
    form.repairs.append(
        Repair("target", target, mended, f"第{line}行识别错误的“≥”，按指标值语法改正")
    )
    return mended


def _body_rows(
    form: FormText, body: list[Token], heads: list[str]
) -> tuple[list[Row], list[Token]]:
    """The indicator rows, and the 预算执行率 row's label and figures (if the form has one).

    Rows are lines where the copy kept them; where most lines hold one cell, a row ends where
    the next can begin (``page_rows.can_start``)."""
    body = _unglued(form, body, heads)
    lines = {t.line for t in body}
    stream = sum(1 for line in lines if form.lines[line] == 1) > 0.6 * max(len(lines), 1)
    cols = columns([h for h in heads if h not in ("level1", "level2")], stream)
    sentences = "deviation" in heads
    coded = coded_levels(body)
    rows: list[Row] = []
    budget: list[Token] = []
    i = 0
    while i < len(body):
        token = body[i]
        if key(token) == "预算执行率":
            figures = list(takewhile(is_figure, body[i + 1 : i + 3]))
            budget = [token, *figures]
            i += 1 + len(figures)
            continue
        line_end = next((k for k in range(i, len(body)) if body[k].line != token.line), len(body))

        def end_ok(k: int, line_end: int = line_end) -> bool:
            return can_start(body, k, ENDS, sentences) if stream else k == line_end

        found = read_row(body, i, cols, end_ok, coded)
        if found is None:
            form.warn("unplaced_text", f"“{token.text}”无法归入指标表的任何一列，未采用", token)
            i += 1
            continue
        row, i = found
        rows.append(row)
    return rows, budget


def _unglued(form: FormText, body: list[Token], heads: list[str]) -> list[Token]:
    """The body with each line that reads as no row but as one row with its cells glued
    (``page_glued``) cut apart, the cut recorded as a repair."""
    fields = [h for h in heads if h not in ("level1", "level2")]
    cols = columns(fields, False)
    coded = coded_levels(body)
    lines = [list(group) for _, group in groupby(body, key=lambda t: t.line)]
    one_per_line = any(len(line) == 1 and one_cell(line[0].text) for line in lines)
    out: list[Token] = []
    for line in lines:
        split = None
        if one_per_line and len(line) == 1:
            pass  # one cell per line: a line is a cell, not a row
        elif any(_has_figure(t) for t in line) and not key(line[0]).startswith(ENDS):
            split = None if _reads(line, cols, coded) else unglue(line, fields, coded)
        if split is None:
            out.extend(line)
            continue
        number = line[0].line
        before = " ".join(t.text for t in line)
        after = " | ".join(t.text for t in split)
        form.repairs.append(Repair("text", before, after, f"按列拆开第{number}行粘连的指标行"))
        form.lines[number] = len(split)
        out.extend(split)
    return out


def _reads(line: list[Token], cols: list[Column], coded: bool) -> bool:
    """Whether ``line`` reads as one row as it is, every level it starts with taken as one."""
    found = read_row(line, 0, cols, lambda k: k == len(line), coded)
    coded_level = _CODED.match
    levels = len(
        list(takewhile(lambda t: is_level(t.text) and (not coded or coded_level(t.text)), line[:2]))
    )
    return found is not None and len(found[0].levels) == levels


def _has_figure(token: Token) -> bool:
    """A cell with a figure in it beside other text: a row's cells glued, perhaps."""
    text = token.text
    return any(ch.isdigit() for ch in text) and not is_number(text) and not is_level(text)


def _grid_row(row: Row, grid_fields: list[str], split: bool) -> list[Cell]:
    line = row.line
    out: list[Cell] = []
    for level in row.levels:
        col = 1 if is_level1(level.text) and not out else 2
        if len(row.levels) == 2:
            col = 1 + row.levels.index(level)
        out.append((col, level.text, level.line))
    c = row.cells
    target = "".join(c[f].text for f in ("op", "value", "unit") if f in c) if split else None
    for k, f in enumerate(grid_fields[2:], start=3):
        text = target if f == "target" and split else (c[f].text if f in c else None)
        if text:
            out.append((k, text, line))
    return out
