"""Benchmarks, one module each: ``bench/<name>.py`` with a docstring and ``main() -> None``.

Modules whose name starts with ``_`` are helpers. ``python -m bench`` runs every benchmark;
``python -m bench parse review`` runs the named ones; ``python -m bench --list`` lists them.
A benchmark module is imported only when it runs, so one benchmark's heavy imports do not
slow down or break the others.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Benchmark:
    name: str

    @property
    def summary(self) -> str:
        """The first line of the module docstring, read without importing the module."""
        source = (HERE / f"{self.name}.py").read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(source)) or ""
        return doc.strip().splitlines()[0] if doc.strip() else ""

    def load(self) -> Callable[[], None]:
        module = importlib.import_module(f"{__name__}.{self.name}")
        main: Callable[[], None] = module.main
        return main


def discover() -> dict[str, Benchmark]:
    """Every benchmark module in this package, by name, in alphabetical order."""
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(HERE)])
        if not info.name.startswith("_") and not info.ispkg
    )
    return {name: Benchmark(name) for name in names}
