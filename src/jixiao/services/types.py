"""Bounded types for service inputs: ids and versions that fit every backend, and the
free-form entries (monitoring, self-evaluation) limited in text length, list length and depth."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
MAX_ENTRY_TEXT = 2000  # characters of one text value in an entry (the forms' maxlength)
MAX_ENTRY_ITEMS = 500  # items of one list (funds, indicators, causes) or keys of one object
MAX_ENTRY_DEPTH = 6
MAX_INDICATORS = 500  # indicators of one project

DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=MAX_VERSION)]


def _check(value: Any, path: str, depth: int) -> None:
    if depth > MAX_ENTRY_DEPTH:
        raise ValueError(f"{path}：层级过深（最多 {MAX_ENTRY_DEPTH} 层）")
    if isinstance(value, str) and len(value) > MAX_ENTRY_TEXT:
        raise ValueError(f"{path}：最多 {MAX_ENTRY_TEXT} 个字符")
    if isinstance(value, dict | list) and len(value) > MAX_ENTRY_ITEMS:
        raise ValueError(f"{path}：最多 {MAX_ENTRY_ITEMS} 项")
    if isinstance(value, dict):
        for key, item in value.items():
            _check(key, path, depth + 1)
            _check(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]", depth + 1)


def entry_problem(entry: dict[str, Any]) -> str | None:
    """The first value of ``entry`` past its bound, as ``entry.indicators[3].note：…``."""
    try:
        _check(entry, "entry", 0)
    except ValueError as exc:
        return str(exc)
    return None


def bounded_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry unchanged, or a ValueError naming the first value past its bound."""
    problem = entry_problem(entry)
    if problem is not None:
        raise ValueError(problem)
    return entry


Entry = Annotated[dict[str, Any], AfterValidator(bounded_entry)]
