"""Rules on the performance goal text (绩效目标)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.domain.enums import ReviewDimension, Severity
from jixiao.review.context import ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.text import compact, ends_sentence, shorten

_CANNOT_END = "，,、；;：:（(《“的和及与对为在将把从向以等"


_CLAUSE = re.compile(r"[，,、；;：:]")


def _truncated(goal: str, ctx: RuleContext) -> bool:
    """Cut off mid-sentence: ends on a comma or a joining word, or a long text stops without a
    full stop after a very short last clause (or after full stops earlier in the text)."""
    if goal[-1] in _CANNOT_END:
        return True
    if ends_sentence(goal) or len(goal) < ctx.profile.thresholds.truncation_min_chars:
        return False
    clauses = _CLAUSE.split(goal)
    if len(clauses) < 2:
        return False
    return len(clauses[-1]) <= 5 or "。" in goal


@rule(
    id="JX014",
    title="绩效目标缺失、过短或不完整",
    severity=Severity.WARNING,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "绩效目标须说明预期产出、效果及服务对象（88号；rules.md §3.1、R2），残缺的目标无法审核。"
    ),
    suggestion="完整写明项目在本期内要提供的产出和达到的效果。",
)
def goal_missing_or_truncated(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """绩效目标为空、少于配置的字数，或明显被截断（以逗号等结尾，或长句无句末标点）。

    反例：“对白云区开展标准化战略工作的企事业”；“……降低防”。
    正例：“为我局机关大楼提供全年物业管理服务，保障日常办公需求。”
    """
    goal = compact(pf.project.goal or "")
    minimum = ctx.profile.thresholds.min_goal_chars
    if not goal:
        message = "项目没有填写绩效目标。"
    elif len(goal) < minimum:
        message = f"绩效目标只有{len(goal)}字（少于{minimum}字），没有说清产出和效果。"
    elif _truncated(goal, ctx):
        message = f"绩效目标疑似不完整：在“…{goal[-8:]}”处中断，没有句末标点。"
    else:
        return
    yield Hit(message, {"绩效目标": shorten(goal, 60) or "（空）", "字数": str(len(goal))})


@rule(
    id="JX035",
    title="绩效目标与指标内容无关",
    severity=Severity.INFO,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.PROJECT,
    rationale=(
        "指标要支撑目标：目标中的产出应有指标衡量，指标应与目标相关（"
        "88号“目标相关性”；rules.md P13）。"
    ),
    suggestion="检查目标与指标是否对应同一项目；为目标中的主要产出设指标。",
)
def goal_indicator_unrelated(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """目标文字与所有指标名称没有一个共同的实义词（二字组）。

    反例：目标“完成办公楼消防改造”，指标只有“培训人次”“宣传覆盖率”。
    正例：目标“完成办公楼消防改造”，指标有“消防改造工程验收合格率”。
    """
    goal = compact(pf.project.goal or "")
    if len(goal) < ctx.profile.thresholds.min_goal_chars or not pf.indicators:
        return
    wanted = pf.goal_bigrams - frozenset(ctx.words.goal_stopwords)
    for ind in pf.indicators:
        name = ind.name
        if any(name[i : i + 2] in wanted for i in range(len(name) - 1)):
            return
    yield Hit(
        "绩效目标中提到的内容在指标中都没有体现，指标与目标对不上。",
        {
            "绩效目标": shorten(goal, 40),
            "指标": shorten("、".join(i.indicator.name for i in pf.indicators), 40),
        },
    )
