"""The forms in a page's cells, found by their labels, laid out again as the grid they were.

Each 项目名称 starts a form (a title line just before it belongs to it). Inside a form every
block is found by its label — 项目名称 / 主管部门 / 实施单位, 项目资金 with its header labels and
lines, 年度总体目标 (or 总体目标 / 年度绩效目标), the indicator header and its rows, 总分,
自评等级 — and written back into the grid the form layouts read: label cells with their values
beside or under them, one indicator per row. Figures OCR wrote with letters (``IO``) are
mended only where the form's own 分值/得分 total confirms the mended figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import takewhile

from jixiao.domain.enums import Operator
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.domain.target import parse_target
from jixiao.ingest.normalize import parse_amount, to_halfwidth
from jixiao.ingest.readers.page_rows import (
    Row,
    can_start,
    coded_levels,
    columns,
    is_label,
    is_number,
    is_slip,
    read_row,
)
from jixiao.ingest.readers.page_tokens import Page, Token, is_level1, is_title

Cell = tuple[int, str, int]  # column, text, text line
HEADER_KEYS = ("项目名称", "主管部门及代码", "主管部门", "实施单位", "预算单位")
FUNDS_HEADS = frozenset({"年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"})
FUNDS_LINES = ("资金总额", "财政拨款", "上年结转", "其他资金", "财政专户")
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


def _value_after(form: FormText, i: int) -> str:
    """The text after the label at ``i`` up to the next label (pieces a copy split, joined)."""
    taken = list(takewhile(lambda t: not _stops(t), form.tokens[i + 1 :]))
    text = "".join(t.text for t in taken)
    if len(taken) > 1:
        form.repairs.append(
            Repair(key(form.tokens[i]), " ".join(t.text for t in taken), text, "合并被拆开的文字")
        )
    return text


def _stops(token: Token) -> bool:
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
        pairs.append((label, _value_after(form, i), form.tokens[i].line))
    name = next((p for p in pairs if p[0] == "项目名称"), None)
    if name is not None:
        form.rows.append([(0, name[0], name[2]), (1, name[1], name[2])])
    rest = [p for p in pairs if p[0] != "项目名称"]
    if rest:
        row: list[Cell] = []
        for label, value, line in rest:
            row += [(len(row), label, line), (len(row) + 1, value, line)]
        form.rows.append(row)


# --- self-evaluation ------------------------------------------------------------------------


def selfeval_rows(form: FormText) -> None:
    header_rows(form)
    _selfeval_funds(form)
    _selfeval_goal(form)
    heads = _indicator_heads(form)
    if heads is not None:
        _indicator_rows(form, *heads, selfeval=True)
    _total_and_grade(form)


def _selfeval_funds(form: FormText) -> None:
    at = form.starts("项目资金")
    if at is None:
        return
    heads: list[Token] = []
    i = at + 1
    while i < len(form.tokens) and key(form.tokens[i]) in FUNDS_HEADS:
        heads.append(form.tokens[i])
        i += 1
    unit = form.tokens[at]
    form.rows.append(
        [(0, unit.text, unit.line)] + [(2 + k, h.text, h.line) for k, h in enumerate(heads)]
    )
    while i < len(form.tokens) and any(w in key(form.tokens[i]) for w in FUNDS_LINES):
        label = form.tokens[i]
        values: list[Token] = []
        i += 1
        while i < len(form.tokens) and len(values) < len(heads) and _is_figure(form.tokens[i]):
            values.append(form.tokens[i])
            i += 1
        if not form.funds_figures:
            form.funds_figures = {
                {"分值": "weight", "得分": "score"}[key(h)]: v
                for h, v in zip(heads, values, strict=False)
                if key(h) in ("分值", "得分")
            }
        if len(values) < len(heads):
            form.warn("page_text_cells", f"“{label.text}”一行只找到 {len(values)} 个数", label)
        form.rows.append(
            [(1, label.text, label.line)] + [(2 + k, v.text, v.line) for k, v in enumerate(values)]
        )


def _is_figure(token: Token) -> bool:
    text = token.text.strip()
    return is_number(text) or text in ("—", "-", "/", "——", "") or is_slip(text)


def _selfeval_goal(form: FormText) -> None:
    at = form.find(("年度总体目标", "总体目标"))
    if at is None:
        return
    labels = [t for t in form.tokens[at + 1 : at + 3] if key(t) in ("预期目标", "实际完成情况")]
    start = at + 1 + len(labels)
    end = form.find(("绩效指标", "一级指标", "三级指标"), start)
    texts = form.tokens[start : end if end is not None else start]
    goal, result = _two_texts(form, texts, form.tokens[at])
    line = form.tokens[at].line
    form.rows.append([(0, "年度总体目标", line), (1, "预期目标", line), (2, "实际完成情况", line)])
    form.rows.append([(1, goal, line), (2, result, line)])


def _two_texts(form: FormText, texts: list[Token], at: Token) -> tuple[str, str]:
    """预期目标 and 实际完成情况: two cells; else the pieces cut after the first that ends a
    sentence (a copy split them at spaces), or one glued text cut after its first sentence."""
    if len(texts) == 2:
        return texts[0].text, texts[1].text
    joined = "".join(t.text for t in texts)
    ends = [len("".join(t.text for t in texts[:k])) for k in range(1, len(texts))]
    cut = next((n for n in ends if joined[n - 1] == "。"), None)
    if cut is None and 0 <= joined.find("。") < len(joined) - 1:
        cut = joined.find("。") + 1
    if cut is None:
        if texts:
            form.warn("page_text_cells", "年度总体目标只找到一段文字，实际完成情况未能分开", at)
        return joined, ""
    goal, result = joined[:cut], joined[cut:]
    form.repairs.append(
        Repair("goal", joined, f"{goal} | {result}", "按句号拆开预期目标与实际完成情况")
    )
    return goal, result


def _indicator_heads(form: FormText) -> tuple[list[str], int, int] | None:
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


def _indicator_rows(form: FormText, heads: list[str], start: int, end: int, selfeval: bool) -> None:
    """The indicator header and rows as grid rows (the target written whole in one cell)."""
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
    if selfeval:
        _mend_slips(form, rows, budget, end)
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
            figures = list(takewhile(_is_figure, body[i + 1 : i + 3]))
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


_DIGITS = str.maketrans("IlOo", "1100")


def _mend_slips(form: FormText, rows: list[Row], budget: list[Token], end: int) -> None:
    """``IO`` in a 分值/得分 cell becomes 10 where the printed 总分 row confirms it: the column's
    figures, mended, add up to the total printed under it."""
    totals = _total_figures(form, end)
    for col, printed in (
        ("weight", totals[0] if totals else None),
        ("score", totals[-1] if totals else None),
    ):
        cells = [r.cells[col] for r in rows if col in r.cells]
        if len(budget) > 1 + (col == "score"):
            cells.append(budget[1 + (col == "score")])
        if col in form.funds_figures:
            cells.append(form.funds_figures[col])
        slips = [t for t in cells if is_slip(t.text) and not is_number(t.text)]
        if not slips:
            continue
        mended = {id(t): Token(t.text.translate(_DIGITS), t.line) for t in slips}
        figures = [_amount(mended[id(t)].text if id(t) in mended else t.text) for t in cells]
        if printed is not None and sum(figures, Decimal(0)) == printed:
            for slip in slips:
                new = mended[id(slip)]
                _replace(form, rows, budget, slip, new)
                reason = f"第{slip.line}行识别错误的数字，按合计 {printed} 校验后改正"
                form.repairs.append(Repair(col, slip.text, new.text, reason))
            continue
        for slip in slips:
            form.warn("ocr_slip", f"“{slip.text}”疑为识别错误的数字，合计无法印证，未改正", slip)


def _amount(text: str) -> Decimal:
    parsed = parse_amount(text)
    return parsed[0] if parsed is not None else Decimal(0)


def _replace(form: FormText, rows: list[Row], budget: list[Token], old: Token, new: Token) -> None:
    form.rows = [
        [(c, new.text if t == old.text and ln == old.line else t, ln) for c, t, ln in row]
        for row in form.rows
    ]
    for row in rows:
        for f, t in row.cells.items():
            if t is old:
                row.cells[f] = new
    for k, t in enumerate(budget):
        if t is old:
            budget[k] = new


def _total_figures(form: FormText, end: int) -> list[Decimal]:
    if end >= len(form.tokens) or key(form.tokens[end]) not in ("总分", "合计", "总计"):
        return []
    out: list[Decimal] = []
    for t in form.tokens[end + 1 :]:
        parsed = parse_amount(t.text)
        if parsed is None:
            break
        out.append(parsed[0])
    return out


def _total_and_grade(form: FormText) -> None:
    at = form.find(("总分", "合计", "总计"))
    if at is not None:
        figures: list[Token] = []
        for t in form.tokens[at + 1 :]:
            if not _is_figure(t):
                break
            figures.append(t)
        form.rows.append(
            [(0, form.tokens[at].text, form.tokens[at].line)]
            + [(1 + k, t.text, t.line) for k, t in enumerate(figures)]
        )
    grade = form.find(("自评等级", "评价等级"))
    if grade is not None and grade + 1 < len(form.tokens):
        value = form.tokens[grade + 1]
        text = "" if _stops(value) else value.text
        form.rows.append([(0, form.tokens[grade].text, value.line), (1, text, value.line)])


# --- target forms ---------------------------------------------------------------------------


def target_rows(form: FormText) -> None:
    header_rows(form)
    _target_funds(form)
    _target_goals(form)
    heads = _indicator_heads(form)
    if heads is not None:
        _indicator_rows(form, *heads, selfeval=False)


def _funds_key(text: str) -> str | None:
    k = to_halfwidth(text).replace(" ", "")
    for word, name in (
        ("资金总额", "total"),
        ("财政专户", "special"),
        ("财政拨款", "fiscal"),
        ("其他资金", "other"),
    ):
        if word in k:
            return name
    return None


def _target_funds(form: FormText) -> None:
    at = form.starts("项目资金")
    if at is None:
        return
    end = form.find(
        ("总体目标", "年度绩效目标", "中期目标", "实施期目标", "年度目标", "一级指标"), at
    ) or len(form.tokens)
    pending: list[Token] = []
    pairs: dict[str, list[tuple[Token, Token]]] = {}
    for t in form.tokens[at + 1 : end]:
        if _funds_key(t.text) is not None:
            pending.append(t)
        elif pending and _is_figure(t):
            label = pending.pop(0)
            pairs.setdefault(_funds_key(label.text) or "", []).append((label, t))
        else:
            form.warn("unplaced_text", f"“{t.text}”不是项目资金的金额，未采用", t)
    side: int | None = None
    unit = form.tokens[at]
    first = True
    for name in ("total", "fiscal", "special", "other"):
        found = pairs.get(name)
        if not found:
            continue
        if len(found) > 1 and side is None:
            side = next(
                (k for k, (label, _) in enumerate(found) if "年度" in label.text), len(found) - 1
            )
        label, value = found[min(side or 0, len(found) - 1)] if len(found) > 1 else found[0]
        lead: list[Cell] = [(0, unit.text, unit.line)] if first else []
        form.rows.append([*lead, (1, label.text, label.line), (2, value.text, value.line)])
        first = False


def _target_goals(form: FormText) -> None:
    at = form.find(("总体目标", "年度绩效目标", "中期目标", "实施期目标", "年度目标"))
    if at is None:
        return
    end = form.find(("一级指标", "三级指标", "绩效指标"), at) or len(form.tokens)
    labels = [t for t in form.tokens[at:end] if key(t) in ("中期目标", "实施期目标", "年度目标")]
    texts = [t for t in form.tokens[at:end] if not is_label(t.text)]
    line = form.tokens[at].line
    if labels:
        if len(texts) != len(labels):
            form.warn("page_text_cells", "总体目标的文字与其标签数目不符", form.tokens[at])
        form.rows.append(
            [(0, "总体目标", line)] + [(1 + k, t.text, t.line) for k, t in enumerate(labels)]
        )
        form.rows.append([(1 + k, t.text, t.line) for k, t in enumerate(texts[: len(labels)])])
        return
    text = "".join(t.text for t in texts)
    form.rows.append([(0, form.tokens[at].text, line), (1, text, line)])
    if len(texts) > 1:
        form.repairs.append(
            Repair("goal", " ".join(t.text for t in texts), text, "合并被拆开的文字")
        )


__all__ = ["FormText", "selfeval_rows", "split_forms", "target_rows"]
