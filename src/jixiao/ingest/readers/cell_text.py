"""A spreadsheet value as the text a person sees: numbers exact, dates ISO, wrapped lines joined.

Workbook libraries give numbers as floats. ``repr`` of a float is the shortest text that reads
back to it, which is what was typed (``1714.44``, ``0.30000000000000004`` stays as stored, never
rounded by a display format). Where the cell's number format shows a fixed number of places
(``0.00``, ``#,##0.00``, ``0.0%``), the places are shown as the format shows them: a stored
``90`` in a ``0.00`` column is ``90.00``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

_FIXED = re.compile(r"0\.(0+)(?![0#])")
_LITERAL = re.compile(r'"[^"]*"|\\.')  # quoted text and escaped characters in a format
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


@cache
def places(number_format: str) -> tuple[int, bool, str] | None:
    """Decimal places a format shows, whether it scales by 100 (a bare ``%``) and the sign it
    shows after the number (``%`` bare, or as text: ``0.00"%"`` shows 95.63 as ``95.63%``);
    None for General."""
    section = (number_format or "").split(";", 1)[0]
    bare = _LITERAL.sub("", section)
    found = _FIXED.search(bare)
    scaled = "%" in bare
    sign = "%" if "%" in section else ""
    if found is None and not sign:
        return None
    return (len(found[1]) if found else 0), scaled, sign


def number_text(value: float | int, number_format: str | None = None) -> str:
    """A number exactly as stored, padded or rounded only to the places its format shows."""
    if value.__class__ is int:
        return _padded(str(value), "", number_format)
    written = repr(value)
    if "e" not in written and "n" not in written:  # neither 1e+21 nor inf/nan: plain digits
        whole, _, fraction = written.partition(".")
        return _padded(whole, "" if fraction == "0" else fraction, number_format)
    try:
        number = Decimal(written)
    except InvalidOperation:
        return written
    if not number.is_finite():
        return written  # inf / nan: show what is stored
    shown = places(number_format) if number_format else None
    if shown is not None:
        return _decimal_text(number, *shown)
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return format(number, "f")


def _padded(whole: str, fraction: str, number_format: str | None) -> str:
    """``whole.fraction`` shown with the places of ``number_format`` where that needs no
    rounding (padding only); otherwise through Decimal."""
    shown = places(number_format) if number_format else None
    if shown is None:
        return f"{whole}.{fraction}" if fraction else whole
    digits, scaled, sign = shown
    if scaled or len(fraction) > digits:
        return _decimal_text(Decimal(f"{whole}.{fraction or 0}"), digits, scaled, sign)
    return (f"{whole}.{fraction.ljust(digits, '0')}" if digits else whole) + sign


def _decimal_text(number: Decimal, digits: int, scaled: bool, sign: str) -> str:
    if scaled:
        number = number.scaleb(2)
    number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format(number, "f") + sign


def join_lines(text: str) -> str:
    """Lines wrapped inside one cell as one line: CJK joined directly, Latin words by a space."""
    if "\n" not in text and "\r" not in text:
        return text
    pieces = [p.strip() for p in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(piece[0]):
            out += " "
        out += piece
    return out


def cell_text(value: object, number_format: str | None = None) -> str:
    """Any value a workbook library returns, as text."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value, number_format)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return join_lines(str(value))
