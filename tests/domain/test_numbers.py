from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.domain.numbers import plain


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1.50", "1.5"),
        ("1E+2", "100"),
        ("100", "100"),
        ("0.00", "0"),
        ("-0.00", "0"),
        ("-2.500", "-2.5"),
        ("1714.440000", "1714.44"),
        ("0.000001", "0.000001"),
        ("1234567890123456789012345678.91", "1234567890123456789012345678.91"),
    ],
)
def test_plain_keeps_every_digit_and_drops_trailing_zeros(value: str, text: str) -> None:
    assert plain(Decimal(value)) == text
