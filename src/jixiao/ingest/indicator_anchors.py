"""Anchors of indicator text: item numbers, ``code-name`` levels and the two value keywords.

Shared by the item reader (``indicators.py``) and by the page-break stitcher, which asks
whether a text starts a fresh item and whether it ends at an item boundary.
"""

from __future__ import annotations

import re
from functools import cache

from jixiao.domain.framework import load_framework

SEPARATORS = " \t,，;；:：。·、"
TERMINATOR = re.compile(r"[;；。]\s*$")
PERIOD, ANNUAL = "period", "annual"
_DASH = "[-—–]"


@cache
def _level_names() -> str:
    names: set[str] = set()
    for fid in ("classic", "cb101"):
        for c in load_framework(fid).categories:
            names.add(c.name)
            names.update(c.synonyms)
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


@cache
def bare_levels() -> dict[str, int]:
    """Full category names that may be written without a code (``产出指标,数量指标,…``)."""
    return {c.name: c.level for fid in ("classic", "cb101") for c in load_framework(fid).categories}


def _bare_names() -> str:
    names = sorted(bare_levels(), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(n) for n in names) + ")"


@cache
def anchor_pattern() -> re.Pattern[str]:
    generic = r"[\u4e00-\u9fff]{1,10}?(?:指标|效益|影响|满意度)(?=[\s,，;；、:：]|$)"
    # Every anchor starts with a digit, a keyword's or a bare name's first character; checking
    # that first makes the scan about twice as fast.
    firsts = "".join(sorted({name[0] for name in bare_levels()} | set("实项中本年")))
    return re.compile(
        rf"(?=[\d{firsts}])(?:"
        rf"(?P<num>(?<![\d.])\d{{1,3}}\s*(?:、|[.．)）](?=\s*\d{{1,2}}\s*{_DASH}\s*[\u4e00-\u9fff])))"
        rf"|(?P<level>(?<!\d)(?P<code>\d{{1,2}})\s*{_DASH}\s*(?P<lname>{_level_names()}|{generic}))"
        rf"|(?P<bare>(?<![^、,，;；\s:：]){_bare_names()}(?=[,，;；、\s:：-]|$))"
        r"|(?P<period>(?:实施周期|实施期|项目周期|中长期)(?:指标|目标)值)"
        r"|(?P<annual>本?年度(?:指标|目标)值))"
    )


_FRESH_START = re.compile(
    rf"^[\s,，;；]*(?:\d{{1,3}}\s*[、.．)）]\s*)?\d{{1,2}}\s*{_DASH}\s*[\u4e00-\u9fff]"
)


def starts_fresh(text: str) -> bool:
    """The text begins a new item (``N、code-name`` or ``code-name``), not the middle of one."""
    return bool(_FRESH_START.match(text))


def ends_complete(text: str) -> bool:
    """The text ends at an item boundary: a terminator, or an annual value after its keyword."""
    stripped = text.rstrip(" ,，·")
    if not stripped or TERMINATOR.search(stripped):
        return True
    last = None
    for match in anchor_pattern().finditer(stripped):
        last = match
    if last is None or last.lastgroup != ANNUAL:
        return False
    return bool(stripped[last.end() :].strip(SEPARATORS))


_NEW_TEXT_AFTER_TERMINATOR = re.compile(r"[;；。][\s,，;；。·]*[^\s,，;；。·]")


# The text stops right after a new item began: ``…,12-质``, ``…，11`` or ``…;4、``.
_DANGLING_START = re.compile(
    rf"(?:^|[\s,，;；、])(?:\d{{1,2}}(?:\s*{_DASH}\s*[\u4e00-\u9fff]{{0,8}})?|\d{{1,3}}\s*、)$"
)


def ends_at_boundary(text: str) -> bool:
    """Stricter than ``ends_complete``, for joining rows: the last item has its values.

    False when the text stops inside an item (``…,13-时``), after an item's name with no value
    yet (``…,验收通过率;``), after a 实施周期 value with no terminator, or when something
    unrecognisable follows the last value's terminator (``…:≥95%;,31-服务对象满``).
    """
    stripped = text.rstrip(" ,，·")
    if _DANGLING_START.search(stripped):
        return False
    last = None
    for match in anchor_pattern().finditer(stripped):
        last = match
    if last is None:
        return not stripped or bool(TERMINATOR.search(stripped))
    if last.lastgroup not in (PERIOD, ANNUAL):
        return False
    tail = stripped[last.end() :].strip(" \t:：·")
    if not tail.strip(SEPARATORS) or _NEW_TEXT_AFTER_TERMINATOR.search(tail):
        return False
    return last.lastgroup == ANNUAL or bool(TERMINATOR.search(tail))


_DANGLING_DIGITS = re.compile(r"[\s,，;；、](\d{1,2})$")


def _level_agrees(text: str) -> bool:
    """The text opens with a ``code-name`` level whose code and name agree in a framework."""
    m = anchor_pattern().match(text.lstrip(SEPARATORS))
    if m is None or m.group("level") is None:
        return False
    code, name = m.group("code"), m.group("lname")
    for fid in ("classic", "cb101"):
        found = load_framework(fid).by_code(code, len(code))
        if found is not None and found.matches_name(name):
            return True
    return False


def code_split_across(left: str, right: str) -> bool:
    """A level code cut in two by a page break: ``…，1`` + ``1-数量指标`` is ``11-数量指标``.

    Taken as a cut only when the joined code agrees with its name and the right part alone
    does not (``1-数量指标`` pairs a level-1 code with a level-2 name).
    """
    m = _DANGLING_DIGITS.search(left.rstrip(" "))
    if m is None:
        return False
    return _level_agrees(m.group(1) + right.lstrip()) and not _level_agrees(right)
