"""Known table forms. Each is a module with a class following ``layouts.base.Layout``."""

from __future__ import annotations

from jixiao.ingest.layouts.base import Layout
from jixiao.ingest.layouts.department_grid import DepartmentGrid
from jixiao.ingest.layouts.project_form import ProjectTargetForm
from jixiao.ingest.layouts.project_goal_form import ProjectGoalForm
from jixiao.ingest.layouts.selfeval_form import SelfEvaluationForm

LAYOUTS: tuple[Layout, ...] = (
    ProjectGoalForm(),
    DepartmentGrid(),
    ProjectTargetForm(),
    SelfEvaluationForm(),
)
MIN_CONFIDENCE = 0.5


def choose_layout(table_confidences: list[tuple[Layout, float]]) -> tuple[Layout, float] | None:
    """The most confident layout, if any is confident enough."""
    best = max(table_confidences, key=lambda pair: pair[1], default=None)
    if best is None or best[1] < MIN_CONFIDENCE:
        return None
    return best
