"""Points to two places that add up exactly (largest-remainder apportionment on Decimal)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from jixiao.scoring.explain import CENT


def apportion(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Split ``total`` (two places) in proportion to ``shares``, each to two places.

    Every part is rounded down to the cent; the cents left over go, one each, to the parts with
    the largest remainders (ties to the earlier part), so the parts add up to ``total`` exactly.
    ``[1, 1, 1]`` of 50 → 16.67, 16.67, 16.66.
    """
    whole = sum(shares, Decimal(0))
    if not shares or whole <= 0:
        return [Decimal(0) for _ in shares]
    exact = [total * s / whole for s in shares]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(floors, Decimal(0))) / CENT)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    return floors
