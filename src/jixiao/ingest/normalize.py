"""Text clean-up shared by every layout: widths, HTML tags, wrap spaces, broken numbers.

Each function is pure and returns the cleaned text; callers compare before/after to record
repairs where the change matters to a user.
"""

from __future__ import annotations

import re
from collections.abc import Container
from decimal import Decimal, InvalidOperation

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.widths import FULL_WIDTH_TO_ASCII

# Full-width ASCII becomes half-width, except the CJK punctuation a text keeps as written.
_FULLWIDTH = {k: v for k, v in FULL_WIDTH_TO_ASCII.items() if chr(k) not in "，；：（）！？"}

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")


_HAS_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")

# The words that name a funding source in a heading or a row label, checked in order (财政专户
# before 财政拨款, so 财政专户拨款 is not fiscal). Values are those of FundSource / BudgetLine.
FUNDING_WORDS: tuple[tuple[str, str], ...] = (
    ("财政专户", "special"),
    ("财政拨款", "fiscal"),
    ("上年结转", "carryover"),
    ("其他资", "other"),
)


def funding_source(text: str, among: Container[str]) -> str | None:
    """The funding source of ``among`` a heading or row label names (``财政专户拨款`` →
    ``special``)."""
    return next((v for word, v in FUNDING_WORDS if v in among and word in text), None)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and ASCII symbols → half-width (CJK punctuation kept)."""
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


def strip_tags(text: str) -> str:
    """Remove HTML tags such as ``<b>8.</b>`` left by an OCR engine, and decode entities."""
    if "<" not in text and "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], _TAG.sub("", text))


def remove_wrap_spaces(text: str) -> str:
    """Drop spaces that come from line wrapping in Chinese text.

    A run of spaces is kept (as one space) only when both neighbours are ASCII letters or
    digits, as in ``Wi Fi``; anywhere next to Chinese text or punctuation it is removed.
    """
    text = text.strip()
    if " " not in text and "\t" not in text and "\u00a0" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _SPACE_RUN.finditer(text):
        out.append(text[pos : m.start()])
        left, right = text[m.start() - 1], text[m.end()]
        if _ASCII_ALNUM.match(left) and _ASCII_ALNUM.match(right):
            out.append(" ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def clean_text(text: str) -> str:
    """Tags, widths and wrap spaces: the clean form of a name, goal or indicator text."""
    return remove_wrap_spaces(to_halfwidth(strip_tags(text)))


_MONEY = re.compile(r"^[+-]?\d{1,3}(?:\s*,\s*\d{3})*(?:\s*\.\s*\d+)?$|^[+-]?\d+(?:\s*\.\s*\d+)?$")
_LOST_POINT = re.compile(r"^(\d+)\s+(\d{2})$")
_CURRENCY = re.compile(r"^[¥￥]\s*|\s*(?:万元|元)$")


def parse_amount(text: str) -> tuple[Decimal, bool] | None:
    """Read a money cell such as ``1, 714. 44``, ``<b>8.</b> 19`` or ``0 10``.

    Returns the amount and whether the decimal point had to be restored, or ``None`` when the
    cell is not a number at all.
    """
    cleaned = _CURRENCY.sub("", to_halfwidth(strip_tags(text)).replace("，", ",").strip())
    if not cleaned:
        return None
    lost = _LOST_POINT.match(cleaned)
    if lost:
        return Decimal(f"{lost.group(1)}.{lost.group(2)}"), True
    if not _MONEY.match(cleaned):
        return None
    try:
        return Decimal(re.sub(r"[\s,]", "", cleaned)), False
    except InvalidOperation:
        return None


def amount_unit(text: str) -> MoneyUnit | None:
    """The unit a money cell names after its number (``1250000元``, ``125万元``), if any."""
    cleaned = to_halfwidth(strip_tags(text)).strip()
    if cleaned.endswith("万元"):
        return MoneyUnit.WAN_YUAN
    return MoneyUnit.YUAN if cleaned.endswith("元") else None


def looks_like_amount(text: str) -> bool:
    return parse_amount(text) is not None
