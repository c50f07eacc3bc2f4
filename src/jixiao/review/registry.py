"""The rule registry: every rule is one small function registered with its metadata.

A rule runs at one of three scopes: per indicator, per project, or across the projects of a
document (for boilerplate). Ids are stable (``JX005``) and never reused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from jixiao.domain.enums import ReviewDimension, Severity

if TYPE_CHECKING:
    pass

RULE_ID = re.compile(r"^JX\d{3}$")


class Scope(Enum):
    INDICATOR = "indicator"
    PROJECT = "project"
    DOCUMENT = "document"

    @property
    def label(self) -> str:
        return {"indicator": "逐条指标", "project": "逐个项目", "document": "跨项目"}[self.value]


# Indicator rules return one ``Hit`` or None (they run once per indicator, so they are plain
# functions); project and document rules yield any number of hits.
RuleFunction = Callable[..., Any]


@dataclass(frozen=True)
class RuleSpec:
    """A registered rule: id, Chinese title, severity, dimension, scope, why, how to fix."""

    id: str
    title: str
    severity: Severity
    dimension: ReviewDimension
    scope: Scope
    rationale: str
    suggestion: str
    function: RuleFunction

    @property
    def doc(self) -> str:
        return self.function.__doc__ or ""


_REGISTRY: dict[str, RuleSpec] = {}


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    dimension: ReviewDimension,
    scope: Scope,
    rationale: str,
    suggestion: str,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as a rule; a duplicate or malformed id is an error."""

    def register(function: RuleFunction) -> RuleFunction:
        if not RULE_ID.match(id):
            raise ValueError(f"malformed rule id {id!r}")
        if id in _REGISTRY:
            raise ValueError(f"duplicate rule id {id!r}")
        _REGISTRY[id] = RuleSpec(
            id, title, severity, dimension, scope, rationale, suggestion, function
        )
        return function

    return register


def all_rules() -> tuple[RuleSpec, ...]:
    """Every registered rule, ordered by id."""
    _load_builtin_rules()
    return tuple(_REGISTRY[k] for k in sorted(_REGISTRY))


def get_rule(rule_id: str) -> RuleSpec:
    _load_builtin_rules()
    return _REGISTRY[rule_id]


def _load_builtin_rules() -> Any:
    import jixiao.review.rules  # noqa: F401  (registers the built-in rules on import)
