"""Evidence from outside the table that some rules weigh: last year's result and the peers'.

The review package reads no database: whoever reviews a stored project (the services) gathers
these figures and passes them in as :data:`Benchmarks`, keyed by (project index, indicator
index) in the document or project reviewed. Without them those rules stay silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class LastYear:
    """Last year's target of the same indicator and its actual value from the self-evaluation."""

    year: int
    target: str
    actual: Decimal
    unit: str | None


@dataclass(frozen=True, slots=True)
class PeerSpread:
    """How other projects set the same indicator (quantitative targets in one unit)."""

    unit: str | None
    count: int
    p25: Decimal
    median: Decimal
    p75: Decimal


@dataclass(frozen=True, slots=True)
class Benchmark:
    last_year: LastYear | None = None
    peers: PeerSpread | None = None


Benchmarks = Mapping[tuple[int, int], Benchmark]
