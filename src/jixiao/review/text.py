"""Small text helpers shared by the rules: normalising names, keyword tests, numbers in text."""

from __future__ import annotations

import re
from collections.abc import Iterable

_UNIT_SUFFIX = re.compile(r"[（(]\s*(%|％|批次|个|次|人|件|宗|万元|元|天|分)\s*[）)]$")
_PUNCT = re.compile(r"[\s，,。.；;：:、“”\"'‘’（）()《》<>【】\[\]！!？?·…-]")
_HAS_NUMBER = re.compile(
    r"\d|[一二三四五六七八九十两百千]+\s*(个|天|日|周|月|年|小时|分钟|次|项|批|名|人|件|台|份|场|家)"
)
_TERMINAL = "。．.；;！!？?）)」』》”\"'…"


def compact(text: str) -> str:
    """Remove all whitespace (wrap spaces in Chinese text carry no meaning)."""
    return "".join(text.split())


def normalize_name(name: str) -> str:
    """The comparable form of an indicator name: no spaces, no ``(%)`` suffix, no punctuation."""
    text = "".join(name.split())
    if text.endswith((")", "）")):
        text = _UNIT_SUFFIX.sub("", text.replace("（", "(").replace("）", ")"))
    return _PUNCT.sub("", text)


class WordList(tuple[str, ...]):
    """A keyword list with its words compiled into one pattern, so a search is one C call."""

    pattern: re.Pattern[str] | None

    def __new__(cls, words: Iterable[str]) -> WordList:
        obj = super().__new__(cls, tuple(words))
        longest_first = sorted(obj, key=len, reverse=True)
        obj.pattern = re.compile("|".join(map(re.escape, longest_first))) if obj else None
        return obj

    def find(self, text: str) -> str | None:
        if self.pattern is None:
            return None
        found = self.pattern.search(text)
        return found.group() if found else None

    def strip(self, text: str) -> str:
        return text if self.pattern is None else self.pattern.sub("", text)


def contains_any(text: str, words: Iterable[str]) -> str | None:
    """The first of ``words`` found in ``text``, or None."""
    if isinstance(words, WordList):
        return words.find(text)
    for word in words:
        if word in text:
            return word
    return None


def strip_words(text: str, words: Iterable[str]) -> str:
    if isinstance(words, WordList):
        return words.strip(text)
    for word in words:
        text = text.replace(word, "")
    return text


def has_number(text: str) -> bool:
    """The text states a number (Arabic, or a Chinese numeral followed by a measure word)."""
    return bool(_HAS_NUMBER.search(text))


def ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in _TERMINAL


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the CJK/alphanumeric runs of ``text``."""
    runs = _PUNCT.split(compact(text))
    return frozenset(run[i : i + 2] for run in runs for i in range(len(run) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two bigram sets (shared / size of the smaller)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def shorten(text: str, limit: int = 30) -> str:
    text = compact(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
