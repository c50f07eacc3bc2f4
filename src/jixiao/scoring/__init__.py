"""Deterministic self-evaluation scoring and monitoring lights; every point is explained.

Public API::

    load_scoring_profile(name_or_path="national") -> ScoringProfile   weights, bands, thresholds
    score_evaluation(evaluation, profile=None) -> EvaluationScore     自评得分，逐行说明
    monitor_project(monitoring, profile=None) -> ProjectLights        红/黄/绿/蓝灯与待补正事项
    reconcile(evaluation, monitoring=None, profile=None) -> list[Discrepancy]
    load_selfeval(path) / load_monitoring(path)       files in jixiao.selfeval/1, …monitoring/1

The file formats (``scoring.formats``, pydantic models) are loaded on first use of
``load_selfeval`` / ``load_monitoring``, so that importing the package, or one of its modules
(``scoring.classify`` for the indicator library), stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jixiao.scoring.explain import EvaluationScore, ScoreLine, ValidationIssue
from jixiao.scoring.lights import LightResult, ProjectLights, monitor_project
from jixiao.scoring.reconcile import Discrepancy, reconcile
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import ScoringProfile, load_scoring_profile

if TYPE_CHECKING:
    from jixiao.scoring.formats import load_monitoring, load_selfeval

__all__ = [
    "Discrepancy",
    "EvaluationScore",
    "LightResult",
    "ProjectLights",
    "ScoreLine",
    "ScoringProfile",
    "ValidationIssue",
    "load_monitoring",
    "load_scoring_profile",
    "load_selfeval",
    "monitor_project",
    "reconcile",
    "score_evaluation",
]


def __getattr__(name: str) -> Any:
    if name in ("load_monitoring", "load_selfeval"):
        from jixiao.scoring import formats

        return getattr(formats, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
