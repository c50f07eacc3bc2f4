"""Every benchmark imports and has its ``main``: a benchmark that no longer runs is found here,
not when someone needs its figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))  # the project root, where bench/ lives
from bench import discover


@pytest.mark.parametrize("name", sorted(discover()))
def test_benchmark_loads(name: str) -> None:
    main = discover()[name].load()
    assert callable(main)
