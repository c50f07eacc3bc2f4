"""The built-in rule catalogue, one module per category; importing it registers every rule."""

from jixiao.review.rules import (
    consistency,
    coverage,
    goals,
    levels,
    money,
    naming,
    relevance,
    values,
)

__all__ = ["consistency", "coverage", "goals", "levels", "money", "naming", "relevance", "values"]
