"""The transition table: which action moves which status to which, and who may do it.

=================  ===================  ===============  ======================  ========
action             from                 to               permission              comment
=================  ===================  ===============  ======================  ========
submit             草稿 / 已退回        已提交           EDIT (SUBMIT)           optional
dept_approve       已提交               部门审核通过     DEPT_REVIEW             optional
dept_return        已提交               已退回           DEPT_REVIEW             required
finance_approve    部门审核通过         已批复           FINANCE_REVIEW          optional
finance_return     部门审核通过         已退回           FINANCE_REVIEW          required
publish            已批复               已公开           PUBLISH                 optional
adjust             已批复 / 已公开      草稿 (新版本)    ADJUST                  required
=================  ===================  ===============  ======================  ========
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.domain.enums import ProjectStatus as S
from jixiao.services.scope import Action


@dataclass(frozen=True)
class Rule:
    action: str
    label: str
    sources: frozenset[S]
    target: S
    permission: Action
    comment_required: bool = False


RULES: dict[str, Rule] = {
    r.action: r
    for r in (
        Rule("submit", "提交", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, Action.SUBMIT),
        Rule(
            "dept_approve",
            "部门审核通过",
            frozenset({S.SUBMITTED}),
            S.DEPT_APPROVED,
            Action.DEPT_REVIEW,
        ),
        Rule(
            "dept_return",
            "部门审核退回",
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            Action.DEPT_REVIEW,
            True,
        ),
        Rule(
            "finance_approve",
            "财政审核通过（批复）",
            frozenset({S.DEPT_APPROVED}),
            S.APPROVED,
            Action.FINANCE_REVIEW,
        ),
        Rule(
            "finance_return",
            "财政审核退回",
            frozenset({S.DEPT_APPROVED}),
            S.RETURNED,
            Action.FINANCE_REVIEW,
            True,
        ),
        Rule("publish", "公开", frozenset({S.APPROVED}), S.PUBLISHED, Action.PUBLISH),
        Rule("adjust", "调整", frozenset({S.APPROVED, S.PUBLISHED}), S.DRAFT, Action.ADJUST, True),
    )
}
