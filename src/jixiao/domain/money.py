"""Money as an integer number of 分. Decimal at the boundaries, never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from jixiao.domain.enums import MoneyUnit
from jixiao.errors import InvalidValue

FEN_PER_UNIT = {MoneyUnit.YUAN: 100, MoneyUnit.WAN_YUAN: 1_000_000}


def parse_decimal(text: str) -> Decimal:
    """Parse a plain decimal such as ``"1,714.44"``; raise InvalidValue otherwise."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidValue(f"不是有效的金额：“{text}”") from None
    if not value.is_finite():
        raise InvalidValue(f"不是有效的金额：“{text}”")
    return value


@dataclass(frozen=True, order=True)
class Money:
    """An amount of money in 分 (1 元 = 100 分, 1 万元 = 1,000,000 分)."""

    fen: int

    @classmethod
    def of(cls, amount: Decimal | str, unit: MoneyUnit = MoneyUnit.YUAN) -> Money:
        value = amount if isinstance(amount, Decimal) else parse_decimal(amount)
        if not value.is_finite():
            raise InvalidValue(f"不是有效的金额：“{amount}”")
        fen = (value * FEN_PER_UNIT[unit]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return cls(int(fen))

    def amount(self, unit: MoneyUnit = MoneyUnit.YUAN) -> Decimal:
        """The amount in ``unit`` as an exact Decimal (万元 keep up to six places)."""
        return Decimal(self.fen) / FEN_PER_UNIT[unit]

    def format(self, unit: MoneyUnit = MoneyUnit.WAN_YUAN, places: int = 2) -> str:
        """Thousands-separated text, e.g. ``1,714.44`` (万元)."""
        quantum = Decimal(1).scaleb(-places)
        return f"{self.amount(unit).quantize(quantum, rounding=ROUND_HALF_UP):,}"

    def __add__(self, other: Money) -> Money:
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        return Money(self.fen - other.fen)

    def ratio_to(self, whole: Money) -> Decimal | None:
        """``self / whole`` exactly (an execution rate), or None when ``whole`` is zero."""
        if whole.fen == 0:
            return None
        return Decimal(self.fen) / Decimal(whole.fen)


def convert(amount: Decimal, source: MoneyUnit, target: MoneyUnit) -> Decimal:
    """Convert an exact amount between 元 and 万元 without rounding."""
    return amount * FEN_PER_UNIT[source] / FEN_PER_UNIT[target]
