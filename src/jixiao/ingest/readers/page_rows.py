"""Indicator rows of a form's page text: which cell of a row is which, by what each column holds.

The columns come from the form's own header labels (三级指标, 指标性质 + 指标值 + 度量单位 or
年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施 …). A row is the levels written in it
(``1-产出指标``, ``11-数量指标``), then one cell per column; cells that may be left blank
(指标性质, 度量单位, 偏差原因) are taken only where the cell fits (an operator, a unit, a
sentence). Where the copy kept rows on lines, a row is a line; where it put one cell per line,
a row ends where the next can begin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jixiao.ingest.normalize import parse_amount, to_halfwidth
from jixiao.ingest.readers.page_tokens import LABELS, Token, is_level

OPERATORS = frozenset(
    {"≥", "≧", "＞", ">", "≤", "≦", "＜", "<", "=", "＝", "═", "≥=", ">=", "<=", "⩾", "⩽", "≽", "≳"}
    | {"不低于", "不少于", "不高于", "不超过", "大于", "小于", "等于", "达", "达到", "约"}
)
SLIP = re.compile(r"^[0-9IOlo]*[IOlo][0-9IOlo]*(?:\.\d+)?$")
_CODE = re.compile(r"\s*\d{1,2}\s*[-—–.、．]")
_SENTENCE = re.compile(r"[，。；;,]")
Fits = Callable[[str], bool]


def is_number(text: str) -> bool:
    return parse_amount(text.removesuffix("%")) is not None


def is_slip(text: str) -> bool:
    """A figure OCR wrote with letters for digits (``IO`` for 10)."""
    return bool(SLIP.match(to_halfwidth(text))) and any(ch.isdigit() or ch in "IO" for ch in text)


def is_label(text: str) -> bool:
    return to_halfwidth(text).replace(" ", "") in LABELS


def _any(text: str) -> bool:
    return not is_label(text)


def _name(text: str) -> bool:
    return _any(text) and not _op(text) and not is_number(text)


def _op(text: str) -> bool:
    return to_halfwidth(text).strip() in OPERATORS


def _unit(text: str) -> bool:
    t = text.strip()
    return t == "%" or (
        0 < len(t) <= 3 and not any(ch.isdigit() for ch in t) and not _op(t) and _any(t)
    )


def _figure(text: str) -> bool:
    return is_number(text) or is_slip(text) or text.strip() in ("—", "-", "/")


def _score(text: str) -> bool:
    return _figure(text) or text.strip() in ("满分", "全分")


def is_sentence(text: str) -> bool:
    return bool(_SENTENCE.search(text)) or len(text) >= 16 or text.strip() in ("无", "—", "/")


@dataclass(frozen=True)
class Column:
    field: str
    fits: Fits
    optional: bool = False


def columns(heads: list[str], stream: bool) -> list[Column]:
    """The cells a row holds after its levels, in order, from the header's fields."""
    out: list[Column] = []
    for head in heads:
        if head == "name":
            out.append(Column(head, _name))
        elif head == "op":
            out.append(Column(head, _op, optional=True))
        elif head == "unit":
            out.append(Column(head, _unit, optional=True))
        elif head in ("weight",):
            out.append(Column(head, _figure))
        elif head == "score":
            out.append(Column(head, _score))
        elif head == "deviation":
            out.append(Column(head, is_sentence if stream else _any, optional=True))
        elif head not in ("level1", "level2"):
            out.append(Column(head, _any))
    return out


@dataclass
class Row:
    """One indicator row: the levels written in it and each column's cell."""

    levels: list[Token]
    cells: dict[str, Token]

    @property
    def line(self) -> int:
        first = self.levels[0] if self.levels else next(iter(self.cells.values()))
        return first.line


def _match(
    tokens: list[Token], start: int, cols: list[Column], end_ok: Callable[[int], bool]
) -> tuple[dict[str, Token], int] | None:
    def go(i: int, k: int, acc: dict[str, Token]) -> tuple[dict[str, Token], int] | None:
        if k == len(cols):
            return (acc, i) if end_ok(i) else None
        col = cols[k]
        if i < len(tokens) and col.fits(tokens[i].text):
            found = go(i + 1, k + 1, {**acc, col.field: tokens[i]})
            if found is not None:
                return found
        return go(i, k + 1, acc) if col.optional else None

    return go(start, 0, {})


def coded_levels(tokens: list[Token]) -> bool:
    """Whether the table writes its levels with codes (``1-产出指标``): then a bare
    ``服务对象满意度`` is an indicator's name, not a level."""
    return any(is_level(t.text) and _CODE.match(t.text) for t in tokens)


def read_row(
    tokens: list[Token],
    start: int,
    cols: list[Column],
    end_ok: Callable[[int], bool],
    coded: bool = False,
) -> tuple[Row, int] | None:
    """The row starting at ``tokens[start]``: up to two levels, then the columns."""

    def level_at(i: int) -> bool:
        text = tokens[i].text
        return is_level(text) and (not coded or bool(_CODE.match(text)))

    levels = 0
    while levels < 2 and start + levels < len(tokens) and level_at(start + levels):
        levels += 1
    for taken in range(levels, -1, -1):
        found = _match(tokens, start + taken, cols, end_ok)
        if found is not None:
            cells, end = found
            return Row(tokens[start : start + taken], cells), end
    return None


def can_start(tokens: list[Token], i: int, ends: tuple[str, ...], sentences: bool) -> bool:
    """Whether a row (or the end of the table) can begin at ``tokens[i]`` in a stream;
    ``sentences``: a sentence there would be the previous row's last cell."""
    if i >= len(tokens):
        return True
    text = tokens[i].text
    if is_level(text) or to_halfwidth(text).replace(" ", "").startswith(ends):
        return True
    return not (_figure(text) or _op(text) or _unit(text) or (sentences and is_sentence(text)))
