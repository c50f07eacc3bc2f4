"""Split an indicator cell into items.

The written form is ``N、1-产出指标,11-数量指标,名称;实施周期指标值:X,年度指标值:Y;``.

The cell text is scanned once for anchors (item numbers, ``code-name`` levels and the two value
keywords); items are built from the anchors, so separators may vary (``; , ， ； : ： ·`` or none),
numbering may restart or be garbled, prefixes may be lost and value fragments may repeat.
Every change is reported as a repair, every doubt as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.domain.framework import Category, Framework, load_framework
from jixiao.domain.indicator import LevelRef
from jixiao.domain.provenance import ParseWarning, Repair
from jixiao.ingest.indicator_anchors import (
    ANNUAL,
    PERIOD,
    SEPARATORS,
    TERMINATOR,
    anchor_pattern,
    bare_levels,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_GARBAGE_TAIL = re.compile(
    r"[,，;；。·\s]+(?:\d{1,3}|(?:实施周期|年度)?指标值?|[^\s,，;；。、]?、)?[,，;；。·\s]*$"
)
_INCOMPLETE_VALUE = re.compile(r"^(?:达到?|不低于|不少于|不高于|不超过|大于|小于|≥|≤|>|<|=)$")


@dataclass
class ItemDraft:
    """An indicator item while it is being read."""

    start: int
    number: str | None = None
    level1: LevelRef | None = None
    level2: LevelRef | None = None
    name_text: str = ""
    values: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return bool(self.values)

    def has(self, kind: str) -> bool:
        return any(k == kind for k, _ in self.values)

    def receive(self, text: str) -> None:
        """Text between anchors goes to the last value, else to the name."""
        if self.values:
            self.values[-1][1].append(text)
        else:
            self.name_text += text

    def tail_text(self) -> str:
        return "".join(self.values[-1][1]) if self.values else self.name_text


@dataclass(frozen=True)
class ParsedItem:
    number: str | None
    level1: LevelRef | None
    level2: LevelRef | None
    name: str
    period: str | None
    annual: str | None
    start: int


@dataclass
class IndicatorParse:
    items: list[ParsedItem] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


class _Scanner:
    """Builds item drafts from the anchors of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.drafts: list[ItemDraft] = []
        self.leading = ""
        self.anchors = list(anchor_pattern().finditer(text))
        self.cur: ItemDraft | None = None  # the item being read (the last draft)

    def run(self) -> list[ItemDraft]:
        anchors, text = self.anchors, self.text
        self.leading = text[: anchors[0].start()] if anchors else text
        for i, m in enumerate(anchors):
            nxt = anchors[i + 1] if i + 1 < len(anchors) else None
            self._anchor(m, nxt)
            if self.cur is not None:
                self.cur.receive(text[m.end() : nxt.start() if nxt else len(text)])
        return self.drafts

    def _new(self, start: int) -> ItemDraft:
        draft = ItemDraft(start)
        self.drafts.append(draft)
        self.cur = draft
        return draft

    def _as_text(self, m: re.Match[str]) -> None:
        if self.cur is None:
            self.leading += m.group(0)
        else:
            self.cur.receive(m.group(0))

    def _anchor(self, m: re.Match[str], nxt: re.Match[str] | None) -> None:
        kind = m.lastgroup
        if kind == "num":
            self._number(m, nxt)
        elif kind == "level":
            code = m.group("code")
            self._level(LevelRef(code, m.group("lname")), len(code), m.start())
        elif kind == "bare":
            name = m.group("bare")
            self._level(LevelRef(None, name), bare_levels()[name], m.start())
        else:
            self._keyword(m, PERIOD if kind == PERIOD else ANNUAL)

    def _number(self, m: re.Match[str], nxt: re.Match[str] | None) -> None:
        between = self.text[m.end() : nxt.start()] if nxt else ""
        before_level = (
            nxt is not None and nxt.lastgroup == "level" and not between.strip(SEPARATORS)
        )
        cur = self.cur
        after_value = cur is not None and cur.has_values and TERMINATOR.search(cur.tail_text())
        if before_level or cur is None or after_value:
            self._new(m.start()).number = m.group(0).rstrip("、.．)） \t")
        else:
            self._as_text(m)

    def _level(self, ref: LevelRef, level: int, start: int) -> None:
        cur = self.cur
        fits = (
            cur is not None
            and not cur.has_values
            and not cur.name_text.strip(SEPARATORS)
            and cur.level2 is None
            and (level == 2 or cur.level1 is None)
        )
        draft = cur if fits and cur is not None else self._new(start)
        if level == 1:
            draft.level1 = ref
        else:
            draft.level2 = ref

    def _keyword(self, m: re.Match[str], kind: str) -> None:
        cur = self.cur
        if cur is None:
            cur = self._new(m.start())
        elif kind == PERIOD and cur.has_values:
            cur = self._split_headless(cur, m.start())
        cur.values.append((kind, []))

    def _split_headless(self, cur: ItemDraft, start: int) -> ItemDraft:
        """A second 实施周期 value: a new item whose prefix was lost, or a repeated fragment."""
        parts = cur.values[-1][1]
        tail = "".join(parts)
        cut = max(tail.rfind(";"), tail.rfind("；"))
        name = tail[cut + 1 :].strip(SEPARATORS) if cut >= 0 else ""
        if not _CJK.search(name) or _GARBAGE_TAIL.fullmatch("," + name):
            return cur
        parts[:] = [tail[: cut + 1]]
        draft = self._new(start)
        draft.name_text = name
        return draft


def clean_value(text: str) -> tuple[str, str | None]:
    """A value as written, separators trimmed; also the garbage cut from its end, if any."""
    trimmed = text.strip(" \t")
    m = _GARBAGE_TAIL.search("," + trimmed) if trimmed else None
    if m is None or m.start() == 0:
        return trimmed.strip(SEPARATORS), None
    kept = trimmed[: m.start() - 1].strip(SEPARATORS)
    garbage = trimmed[m.start() - 1 :].strip(SEPARATORS)
    return kept, garbage or None


def _repeats(first: str, other: str) -> bool:
    """One value text repeats the other, possibly cut short at either end of the cut."""
    return first.startswith(other) or other.startswith(first)


def _same_value(first: str, other: str) -> bool:
    """Equal, or the shorter is most of the longer: whether a second 实施周期 value repeats the
    first rather than starting an item whose name was lost."""
    if first == other:
        return True
    short, long = sorted((first, other), key=len)
    return long.startswith(short) and len(short) * 2 >= len(long)


def _split_repeated(draft: ItemDraft) -> list[ItemDraft]:
    """A 实施周期 value after a 年度 value that differs from the first: a new item, name lost."""
    if len(draft.values) < 3:
        return [draft]  # a split needs a period, an annual, then another period
    seen_annual = False
    first_period: str | None = None
    for index, (kind, parts) in enumerate(draft.values):
        text = clean_value("".join(parts))[0]
        if kind == PERIOD and first_period is None:
            first_period = text
        elif kind == PERIOD and seen_annual and not _same_value(first_period or "", text):
            rest = ItemDraft(draft.start, values=draft.values[index:])
            del draft.values[index:]
            return [draft, *_split_repeated(rest)]
        seen_annual = seen_annual or kind == ANNUAL
    return [draft]


def _label(draft: ItemDraft) -> str:
    return draft.name_text.strip(SEPARATORS) or "（无名称）"


def _pick_value(draft: ItemDraft, kind: str, out: IndicatorParse, field_name: str) -> str | None:
    texts: list[str] = []
    for k, parts in draft.values:
        if k != kind:
            continue
        raw = "".join(parts)
        value, garbage = clean_value(raw)
        if garbage:
            before = raw.strip(" \t").lstrip(SEPARATORS)
            out.repairs.append(Repair(field_name, before, value, "删除指标值后的残留字符"))
        texts.append(value)
    if not texts:
        return None
    same = [t for t in texts if _repeats(texts[0], t)]
    chosen = max(same, key=len)
    if len(same) > 1:
        reason = f"删除重复的指标值片段（共出现 {len(same)} 次）"
        out.repairs.append(Repair(field_name, "，".join(same), chosen, reason))
    others = [t for t in texts if t not in same]
    if others:
        dropped = "；".join(dict.fromkeys(others))
        message = (
            f"指标“{_label(draft)}”的{_KIND_LABEL[kind]}出现多个不同的取值，"
            f"保留“{chosen}”，舍弃：{dropped}（{field_name}）"
        )
        out.warnings.append(ParseWarning("value_conflict", message))
    return chosen


def _parent_of(level2: LevelRef, frameworks: tuple[Framework, ...]) -> Category | None:
    """The level-1 category of a level-2 as written: code and name agreeing first, then code."""
    for strict in (True, False):
        for fw in frameworks:
            if level2.code:
                found = fw.by_code(level2.code, 2)
                agrees = found is not None and (not level2.name or found.matches_name(level2.name))
                if found is not None and (agrees or not strict):
                    return fw.parent(found)
            elif level2.name and (found := fw.by_name(level2.name, 2)) is not None:
                return fw.parent(found)
    return None


def _infer_level1(draft: ItemDraft, framework: Framework, field_name: str) -> Repair | None:
    if draft.level1 is not None or draft.level2 is None:
        return None
    bundled = tuple(load_framework(fid) for fid in ("classic", "cb101"))
    parent = _parent_of(draft.level2, (framework, *bundled))
    if parent is None:
        return None
    draft.level1 = LevelRef(parent.code, parent.name)
    return Repair(
        field_name,
        None,
        f"{parent.code}-{parent.name}",
        f"缺失一级指标，按二级指标“{draft.level2.format()}”推定",
    )


def _finish(
    draft: ItemDraft, index: int, framework: Framework, out: IndicatorParse
) -> ParsedItem | None:
    name = draft.name_text.strip(SEPARATORS)
    bare = draft.level1 is None and draft.level2 is None and not draft.values
    if bare and not _CJK.search(clean_value(draft.name_text)[0]):
        out.warnings.append(
            ParseWarning(
                "garbage_dropped", f"指标文字中无法识别的片段已舍弃：“{draft.number or ''}、{name}”"
            )
        )
        return None
    label = f"indicators[{index}]"
    repair = _infer_level1(draft, framework, f"{label}.level1")
    if repair is not None:
        out.repairs.append(repair)
    if not name:
        out.warnings.append(
            ParseWarning(
                "indicator_name_lost",
                f"第{index + 1}项指标的名称和一、二级指标丢失（可能与上一项粘连），"
                f"仅保留其指标值（{label}）",
            )
        )
    elif draft.level1 is None and draft.level2 is None:
        out.warnings.append(ParseWarning("level_missing", f"指标“{_label(draft)}”缺少一、二级指标"))
    period = _pick_value(draft, PERIOD, out, f"{label}.period")
    annual = _pick_value(draft, ANNUAL, out, f"{label}.annual")
    for kind, value in ((PERIOD, period), (ANNUAL, annual)):
        if value is not None and _INCOMPLETE_VALUE.match(value):
            out.warnings.append(
                ParseWarning(
                    "value_incomplete", f"指标“{name}”的{_KIND_LABEL[kind]}不完整：“{value}”"
                )
            )
    return ParsedItem(draft.number, draft.level1, draft.level2, name, period, annual, draft.start)


_KIND_LABEL = {PERIOD: "实施周期指标值", ANNUAL: "年度指标值"}


def parse_indicator_text(text: str, framework: Framework | None = None) -> IndicatorParse:
    """Items of one project's (already joined and cleaned) indicator text."""
    out = IndicatorParse()
    scanner = _Scanner(text)
    drafts = scanner.run()
    leading = scanner.leading.strip(SEPARATORS)
    if leading:
        out.warnings.append(
            ParseWarning("indicator_fragment", f"指标文字开头无法归属的片段：“{leading}”")
        )
    fw = framework or load_framework()
    for draft in (part for d in drafts for part in _split_repeated(d)):
        item = _finish(draft, len(out.items), fw, out)
        if item is not None:
            out.items.append(item)
    return out
