"""Decimal numbers as the tables and messages write them."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> str:
    """No exponent, no trailing zeros, every digit kept: ``1.50`` → ``1.5``, ``1E+2`` → ``100``.

    Trims the text rather than calling ``normalize()``, which rounds to the context's 28 digits.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
