"""The built-in rule catalogue, one module per category; importing it registers every rule."""

from jixiao.review.rules import (
    benchmarks,
    consistency,
    coverage,
    goals,
    levels,
    money,
    naming,
    relevance,
    values,
)

__all__ = [
    "benchmarks",
    "consistency",
    "coverage",
    "goals",
    "levels",
    "money",
    "naming",
    "relevance",
    "values",
]
