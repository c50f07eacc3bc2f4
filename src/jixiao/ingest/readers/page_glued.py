"""Indicator rows whose cells a copy glued together, cut apart by the column grammar.

A PDF text layer or a web page may give a row as ``11-数量指标培训人数≥200人200人2019``: the
levels, 三级指标, 年度指标值, 实际完成值, 分值 and 得分 with no separator. The row is cut where each
piece reads as what its column holds, and only where exactly one reading exists:

- a level is a level of the framework (with its code where the table writes codes);
- a 三级指标 has no operator outside its brackets, balanced brackets and no sentence marks;
- a 指标值 is ``[operator] number [unit]`` or a deadline (``2023年12月31日前``), or words when
  nothing else is glued to it;
- a 实际完成值 is ``number unit``, a date, words or a dash — never a bare number, which could
  equally be the start of the 分值;
- 分值 and 得分 are plain numbers (no leading zero, 分值 at most 100, 得分 not above its 分值 where
  any reading allows it);
- a cut never falls inside a number, except between 分值 and 得分 (printed side by side, nothing
  else can tell them apart).

Readings are ranked: more levels first (a name rarely starts with a level's name), then fewer
cuts, then a whole 分值 before one with places, then the shortest 三级指标; a tie among the best
is a doubt, and the row is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from jixiao.ingest.normalize import to_halfwidth
from jixiao.ingest.readers.page_rows import OPERATORS
from jixiao.ingest.readers.page_tokens import LEVEL, Token

_NUMBER = r"(?:0|[1-9]\d*)(?:\.\d+)?"
_OP = "|".join(sorted(map(re.escape, OPERATORS), key=len, reverse=True))
_UNIT = r"[^\d\s≥≤><=＞＜≧≦═，。；;,()（）]{1,5}"
_QUANTITY = re.compile(rf"^(?:{_OP})?{_NUMBER}(?:{_UNIT})?$")
_BARE = re.compile(rf"^{_NUMBER}$")
_DEADLINE = re.compile(r"^\d{4}年(?:底|\d{1,2}月(?:\d{1,2}日)?(?:底)?)?(?:前|之前)$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月(?:\d{1,2}日)?$")
_WORDS = re.compile(r"^[^\d，。；;,]{1,12}$")
_SENTENCE = re.compile(r"[，。；;,]")
_OPERATOR_CHARS = frozenset("≥≤><=＞＜≧≦═⩾⩽")
_DIGITISH = frozenset("0123456789.")
_HUNDRED = Decimal(100)
_VALUES = frozenset({"period", "target", "value", "actual"})
_SENTENCES = frozenset({"deviation", "explanation"})
MAX_READINGS = 256


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in to_halfwidth(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _outside_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", "", to_halfwidth(text))


def _name(text: str) -> bool:
    return (
        _balanced(text)
        and not _SENTENCE.search(text)
        and not any(ch in _OPERATOR_CHARS for ch in _outside_brackets(text))
        and any("\u4e00" <= ch <= "\u9fff" for ch in text)
        and not _BARE.match(text)
    )


def _value(text: str) -> bool:
    """A 指标值 cell: a quantity, a deadline, or words."""
    return bool(_QUANTITY.match(text) or _DEADLINE.match(text) or _WORDS.match(text))


def _actual(text: str) -> bool:
    if _BARE.match(text):
        return False
    return bool(_QUANTITY.match(text) or _DATE.match(text) or _WORDS.match(text))


def _weight(text: str) -> bool:
    return bool(_BARE.match(text)) and Decimal(text) <= _HUNDRED


def _score(text: str) -> bool:
    return bool(_BARE.match(text)) or text in ("满分", "全分")


def _sentence(text: str) -> bool:
    if text in ("无", "—", "/"):
        return True
    starts = text[0] not in _DIGITISH and text[0] not in _OPERATOR_CHARS and text[0] != "%"
    return starts and (bool(_SENTENCE.search(text)) or len(text) >= 8)


def _op(text: str) -> bool:
    return to_halfwidth(text) in OPERATORS or text in OPERATORS


def _number(text: str) -> bool:
    return bool(_BARE.match(text))


def _unit(text: str) -> bool:
    return bool(re.fullmatch(_UNIT, text))


# field → (what a piece of it reads as, whether the column may be left blank)
GRAMMAR: dict[str, tuple[Callable[[str], bool], bool]] = {
    "name": (_name, False),
    "period": (_value, False),
    "target": (_value, False),
    "op": (_op, True),
    "value": (lambda t: _number(t) or bool(_DEADLINE.match(t) or _WORDS.match(t)), False),
    "unit": (_unit, True),
    "actual": (_actual, False),
    "weight": (_weight, False),
    "score": (_score, False),
    "deviation": (_sentence, True),
    "explanation": (_sentence, True),
}


@dataclass(frozen=True)
class Piece:
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    pieces: tuple[Piece, ...]
    cuts: int  # cuts made inside the line's cells

    @property
    def levels(self) -> int:
        return sum(1 for p in self.pieces if p.field == "level")


class _Search:
    """Every reading of ``text`` as ``fields`` (levels first), pieces never across ``bounds``."""

    def __init__(self, text: str, bounds: frozenset[int], fields: list[str], coded: bool):
        self.text, self.bounds, self.fields, self.coded = text, bounds, fields, coded
        self.memo: dict[tuple[int, int], list[Reading]] = {}
        self.edges = bounds | {0}

    def fits(self, field: str, pos: int, end: int) -> bool:
        piece = self.text[pos:end]
        if field == "level":  # the longest level the framework names, nothing shorter
            m = LEVEL.match(self.text, pos)
            return m is not None and m.end() == end and (not self.coded or piece[0].isdigit())
        if field == "name" and piece[0].isdigit() and LEVEL.fullmatch(piece):
            return False  # ``12-质量指标`` is a level, never a 三级指标
        return GRAMMAR[field][0](piece)

    def optional(self, field: str) -> bool:
        return field == "level" or GRAMMAR[field][1]

    def readings(self, pos: int, k: int) -> list[Reading]:
        key = (pos, k)
        if key not in self.memo:
            self.memo[key] = list(islice(self._readings(pos, k), MAX_READINGS))
        return self.memo[key]

    def _readings(self, pos: int, k: int) -> Iterator[Reading]:
        if k == len(self.fields):
            if pos == len(self.text):
                yield Reading((), 0)
            return
        field = self.fields[k]
        if field == "level" and k == 0:  # no level here: neither of the two
            yield from self.readings(pos, 2)
        elif self.optional(field):
            yield from self.readings(pos, k + 1)
        if pos == len(self.text):
            return
        stop = min((b for b in self.bounds if b > pos), default=len(self.text))
        for end in self._ends(field, pos, stop):
            if not self.fits(field, pos, end):
                continue
            inside = end != stop
            words = self._words(field, pos, end)
            if words and pos not in self.edges:
                continue  # words glued after another cell: nothing tells where they begin
            if (
                field in _SENTENCES
                and pos not in self.edges
                and _has_digit(self.text[pos : pos + 3])
            ):
                continue  # a sentence glued to a 得分 starts with words, not with ``日21…``
            for rest in self.readings(end, k + 1):
                if inside and not self._cut_ok(field, end, rest, words):
                    continue
                yield Reading((Piece(field, pos, end), *rest.pieces), rest.cuts + inside)

    def _ends(self, field: str, pos: int, stop: int) -> Iterator[int]:
        """Where a piece from ``pos`` may end: the cell's end, or a cut ``_cut_ok`` may allow
        (checked here on the two characters alone, the cheap part)."""
        if field == "level":
            m = LEVEL.match(self.text, pos)
            if m is not None and m.end() <= stop:
                yield m.end()
            return
        text = self.text
        for end in range(pos + 1, stop):
            left, right = text[end - 1] in _DIGITISH, text[end] in _DIGITISH
            if left != right or text[end] in _OPERATOR_CHARS or (field == "weight" and left):
                yield end
        yield stop

    def _words(self, field: str, pos: int, end: int) -> bool:
        """A worded 指标值 or 实际完成值 (``效果明显``, ``基本达成``)."""
        piece = self.text[pos:end]
        return field in _VALUES and not _has_digit(piece) and piece != "—"

    def _cut_ok(self, field: str, end: int, rest: Reading, words: bool) -> bool:
        """A cut inside a cell falls after a level (a word of the framework), before an
        operator, between 分值 and 得分, or where a figure begins or ends — never between two
        words or inside a number, where nothing tells the cells apart."""
        if not rest.pieces:
            return False
        after = rest.pieces[0].field
        left, right = self.text[end - 1], self.text[end]
        if field == "level" or (field, after) == ("weight", "score"):
            return True
        if words or field == "name":  # a figure or an operator must follow
            return left not in _DIGITISH and (right in _DIGITISH or right in _OPERATOR_CHARS)
        return right in _OPERATOR_CHARS or ((left in _DIGITISH) != (right in _DIGITISH))


def _score_within_weight(text: str, reading: Reading) -> bool:
    got = {p.field: text[p.start : p.end] for p in reading.pieces}
    weight, score = got.get("weight"), got.get("score")
    if weight is None or score is None or not _BARE.match(score):
        return True
    return Decimal(score) <= Decimal(weight)


def unglue(tokens: list[Token], fields: list[str], coded: bool) -> list[Token] | None:
    """The cells of one row's ``tokens`` cut apart by the column grammar of ``fields`` (the
    columns after the levels), or None when no single best reading exists or no cut is needed."""
    text = "".join(t.text for t in tokens)
    bounds: list[int] = []
    at = 0
    for t in tokens:
        at += len(t.text)
        bounds.append(at)
    search = _Search(text, frozenset(bounds), ["level", "level", *fields], coded)
    found = search.readings(0, 0)
    within = [r for r in found if _score_within_weight(text, r)]
    found = within or found
    if not found:
        return None
    rank = {r.pieces: (-r.levels, r.cuts, _weight_places(text, r), _name_length(r)) for r in found}
    best = min(rank.values())
    ties = [pieces for pieces, value in rank.items() if value == best]
    if len(ties) > 1 or best[1] == 0:
        return None
    line = tokens[0].line
    return [Token(text[p.start : p.end], line) for p in ties[0]]


def _name_length(reading: Reading) -> int:
    """A 三级指标 takes no figure the 指标值 after it could begin with (``…次数(次)2019年12月``
    is the name and half a deadline)."""
    return next((p.end - p.start for p in reading.pieces if p.field == "name"), 0)


def _weight_places(text: str, reading: Reading) -> int:
    """Places of the 分值: whole points in every template, so ``60.91`` is 6 | 0.91, not
    60.9 | 1."""
    weight = next((text[p.start : p.end] for p in reading.pieces if p.field == "weight"), "")
    return len(weight.partition(".")[2])


def one_cell(text: str) -> bool:
    """A cell that is only ever a cell of its own (a level, a figure, an operator, a target):
    a copy with such lines puts one cell per line, and a line there is no glued row."""
    t = text.strip()
    return bool(
        LEVEL.fullmatch(t) or _BARE.match(t) or _op(t) or _QUANTITY.match(t) or _DEADLINE.match(t)
    )
