"""项目支出绩效自评表 blocks in a form's page text, written back as the grid the layout reads.

The 项目资金 block (its header labels, then one line per 年度资金总额 / 其中：当年财政拨款 / …
with a figure under each label), 年度总体目标 (预期目标 and 实际完成情况: two cells, or the
pieces a copy split or glued, cut where a sentence ends), the indicator table, 总分 and
自评等级. A 分值 or 得分 OCR wrote with letters (``IO``) is mended only where the column's
figures, mended, add up to the total the 总分 row prints under it.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.provenance import Repair
from jixiao.ingest.normalize import parse_amount
from jixiao.ingest.readers.page_forms import (
    FormText,
    header_rows,
    indicator_heads,
    indicator_rows,
    is_figure,
    key,
    stops,
)
from jixiao.ingest.readers.page_rows import Row, is_number, is_slip
from jixiao.ingest.readers.page_tokens import Token

FUNDS_HEADS = frozenset({"年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"})
FUNDS_LINES = ("资金总额", "财政拨款", "上年结转", "其他资金", "财政专户")


def selfeval_rows(form: FormText) -> None:
    header_rows(form)
    _selfeval_funds(form)
    _selfeval_goal(form)
    heads = indicator_heads(form)
    if heads is not None:
        indicator_rows(form, *heads, mend=_mend_slips)
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
        while i < len(form.tokens) and len(values) < len(heads) and is_figure(form.tokens[i]):
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
            if not is_figure(t):
                break
            figures.append(t)
        form.rows.append(
            [(0, form.tokens[at].text, form.tokens[at].line)]
            + [(1 + k, t.text, t.line) for k, t in enumerate(figures)]
        )
    grade = form.find(("自评等级", "评价等级"))
    if grade is not None and grade + 1 < len(form.tokens):
        value = form.tokens[grade + 1]
        text = "" if stops(value) else value.text
        form.rows.append([(0, form.tokens[grade].text, value.line), (1, text, value.line)])
