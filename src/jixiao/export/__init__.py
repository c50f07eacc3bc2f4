"""The standard tables out, in the official layouts (Excel and PDF).

Public API::

    target_sheets(doc, project=None)             项目支出绩效目标表 / 申报表
    monitoring_sheets(records, profile, project=None)   绩效目标执行监控表
    selfeval_sheets(evaluations, profile, project=None) 项目支出绩效自评表
    review_sheets(doc, report, project=None)     审核意见表 and 审核等级
    render(sheets, "xlsx" | "pdf") -> bytes
"""

from jixiao.export.errors import MissingFont
from jixiao.export.grid import Sheet
from jixiao.export.tables import (
    monitoring_sheets,
    render,
    review_sheets,
    selfeval_sheets,
    target_sheets,
)

__all__ = [
    "MissingFont",
    "Sheet",
    "monitoring_sheets",
    "render",
    "review_sheets",
    "selfeval_sheets",
    "target_sheets",
]
