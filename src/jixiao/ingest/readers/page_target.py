"""Single-project target form (申报表) blocks in a form's page text, written back as a grid.

The 项目资金 block as label–amount pairs (``年度资金总额 100 其中：财政拨款 80``, the 中期 and 年度
sides of a two-sided form: the 年度 side is kept) or a row of labels with the amounts after
them; the goals (中期目标 / 年度目标 with their texts, or 年度绩效目标 / 总体目标 and one text);
the indicator table.
"""

from __future__ import annotations

from jixiao.domain.provenance import Repair
from jixiao.ingest.normalize import to_halfwidth
from jixiao.ingest.readers.page_forms import (
    Cell,
    FormText,
    header_rows,
    indicator_heads,
    indicator_rows,
    is_figure,
    key,
)
from jixiao.ingest.readers.page_rows import is_label
from jixiao.ingest.readers.page_tokens import Token


def target_rows(form: FormText) -> None:
    header_rows(form)
    _target_funds(form)
    _target_goals(form)
    heads = indicator_heads(form)
    if heads is not None:
        indicator_rows(form, *heads)


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
        elif pending and is_figure(t):
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
