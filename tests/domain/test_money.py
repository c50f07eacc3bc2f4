from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.money import Money, convert, parse_decimal
from jixiao.errors import InvalidValue


def test_wan_yuan_to_fen_is_exact():
    assert Money.of("1714.44", MoneyUnit.WAN_YUAN).fen == 1_714_440_000
    assert Money.of("0.10", MoneyUnit.WAN_YUAN).amount(MoneyUnit.YUAN) == Decimal("1000")


def test_format_uses_thousands_separators():
    assert Money.of("3405", MoneyUnit.WAN_YUAN).format() == "3,405.00"
    assert Money.of("1714.44", MoneyUnit.WAN_YUAN).format(MoneyUnit.YUAN) == "17,144,400.00"


def test_of_refuses_nan_and_infinity_as_invalid_value():
    for bad in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(InvalidValue, match="不是有效的金额"):
            Money.of(Decimal(bad))


def test_rounds_half_up_to_the_fen():
    assert Money.of("0.005").fen == 1
    assert Money.of("0.004").fen == 0


def test_parse_decimal_rejects_text_and_infinity():
    assert parse_decimal("1,714.44") == Decimal("1714.44")
    for bad in ("abc", "", "Infinity", "NaN"):
        with pytest.raises(InvalidValue):
            parse_decimal(bad)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_round_trip_through_both_units(fen):
    m = Money(fen)
    assert Money.of(m.amount(MoneyUnit.WAN_YUAN), MoneyUnit.WAN_YUAN) == m
    assert Money.of(m.amount(MoneyUnit.YUAN), MoneyUnit.YUAN) == m


def test_convert_between_units_is_exact():
    assert convert(Decimal("213"), MoneyUnit.WAN_YUAN, MoneyUnit.YUAN) == Decimal("2130000")
    assert convert(Decimal("1500000"), MoneyUnit.YUAN, MoneyUnit.WAN_YUAN) == Decimal("150")


def test_ratio_to_is_exact_and_none_for_a_zero_whole():
    assert Money(1).ratio_to(Money(3)) == Decimal(1) / Decimal(3)
    assert Money.of("45", MoneyUnit.WAN_YUAN).ratio_to(Money.of("90", MoneyUnit.WAN_YUAN)) == (
        Decimal("0.5")
    )
    assert Money(5).ratio_to(Money(0)) is None
