"""Rules on internal consistency: period vs annual values and goals, duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.domain.enums import ReviewDimension, Severity, TargetKind
from jixiao.domain.target import TargetValue
from jixiao.review.context import ANNUAL_LABEL, PERIOD_LABEL, ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import DOWNWARD, UPWARD, name_of
from jixiao.review.text import compact


def _is_additive(unit: str, ctx: RuleContext) -> bool:
    return "/" not in unit and (unit in ctx.words.count_units or "元" in unit or unit[:1] == "万")


def _rates_contradict(p: TargetValue, a: TargetValue, ctx: RuleContext) -> bool:
    assert p.value is not None
    assert a.value is not None
    if (p.value == 0) != (a.value == 0):
        return True
    if abs(p.value - a.value) >= ctx.profile.thresholds.rate_gap:
        return True
    return (p.op in UPWARD and a.op in DOWNWARD) or (p.op in DOWNWARD and a.op in UPWARD)


def _inconsistency(p: TargetValue, a: TargetValue, ctx: RuleContext) -> str | None:
    quantitative = TargetKind.QUANTITATIVE
    if p.kind is not quantitative or a.kind is not quantitative:
        return None
    if p.value is None or a.value is None:
        return None
    pu, au = compact(p.unit or ""), compact(a.unit or "")
    if pu != au:
        return f"两者单位不同（“{pu or '无'}”与“{au or '无'}”）"
    if pu in ("%", "％"):
        return "同一比率的两个目标互相矛盾" if _rates_contradict(p, a, ctx) else None
    if _is_additive(pu, ctx) and a.value > p.value and a.op not in DOWNWARD:
        return "年度值大于整个实施周期的值"
    return None


@rule(
    id="JX008",
    title="实施周期值与年度值不一致",
    severity=Severity.WARNING,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "年度指标值须与实施周期指标值衔接：口径、单位一致，累计量年度值不超过周期值（"
        "rules.md W5、§4.5-4、P7）。"
    ),
    suggestion="补填年度指标值，并使单位、方向与实施周期指标值一致。",
)
def period_annual_inconsistent(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """缺年度值、单位不同、年度累计量大于周期值，或同一比率两个目标矛盾（如100%与0%）。

    反例：“就业岗位招聘公开化程度：实施周期100%，年度0%”；“抽样检验批次：100批次/100%”。
    正例：“就业岗位招聘公开化程度：实施周期100%，年度100%”。
    """
    has_annual_column = any(ind.indicator.annual is not None for ind in pf.indicators)
    for ind in pf.indicators:
        p, a = ind.indicator.period, ind.indicator.annual
        if p is not None and a is None:
            if not has_annual_column or not p.raw.strip():
                continue
            problem = "有实施周期指标值，却没有年度指标值"
        elif p is not None and a is not None:
            found = _inconsistency(p, a, ctx)
            if found is None:
                continue
            problem = found
        else:
            continue
        yield Hit(
            f"指标“{name_of(ind)}”的实施周期指标值与年度指标值不一致：{problem}。",
            {PERIOD_LABEL: p.raw, ANNUAL_LABEL: "（空）" if a is None else a.raw},
            indicator_index=ind.index,
        )


_YEAR_RANGE = re.compile(r"(20\d\d)\s*(?:年)?\s*[-—–~～至到]\s*(20\d\d)")


def _multi_year(name: str) -> tuple[int, int] | None:
    found = _YEAR_RANGE.search(name)
    if found is None:
        return None
    start, end = int(found[1]), int(found[2])
    return (start, end) if end > start else None


@rule(
    id="JX040",
    title="多年项目的年度值照抄实施周期值",
    severity=Severity.INFO,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.PROJECT,
    rationale=(
        "多年项目的实施周期值是整个周期的总量，年度值应是本年度的分量，"
        "不应把周期总量填作年度值（rules.md W5、P7）。"
    ),
    suggestion="按年度计划填写本年度应完成的数量或金额。",
)
def annual_copies_period(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """项目名称表明跨多个年度，累计量（个数、金额）的年度值却与实施周期值完全相同。

    反例：“智慧市场监管平台建设项目（2022-2024年）”，“接入市场数量：实施周期60个，年度60个”。
    正例：同一项目，“接入市场数量：实施周期60个，年度20个”。
    """
    years = _multi_year(pf.name)
    if years is None:
        return
    for ind in pf.indicators:
        p, a = ind.indicator.period, ind.indicator.annual
        if p is None or a is None or p.value is None or a.value is None or p.value == 0:
            continue
        unit = compact(p.unit or "")
        if p.kind is TargetKind.QUANTITATIVE and _is_additive(unit, ctx) and p.value == a.value:
            yield Hit(
                f"项目跨{years[0]}–{years[1]}年，累计量“{name_of(ind)}”的年度值却与"
                f"实施周期值相同（{compact(a.raw)}），疑似把周期总量填作年度值。",
                {PERIOD_LABEL: p.raw, ANNUAL_LABEL: a.raw, "实施周期": f"{years[0]}–{years[1]}年"},
                indicator_index=ind.index,
            )


@rule(
    id="JX009",
    title="项目内指标重复",
    severity=Severity.WARNING,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale="一个指标只衡量一件事，项目内不应重复设置同一指标（rules.md R10、P8）。",
    suggestion="删除重复的指标；若确需两条，改名写明各自衡量的内容。",
)
def duplicate_indicator(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """同一项目中出现名称相同（忽略空格、标点和“(%)”）的指标。

    反例：第7条和第8条都是“用户故障请求受理率：≥95%”。
    正例：“用户故障请求受理率：≥95%”只出现一次。
    """
    first: dict[str, int] = {}
    for ind in pf.indicators:
        if not ind.name:
            continue
        seen = first.setdefault(ind.name, ind.index)
        if seen == ind.index:
            continue
        yield Hit(
            f"指标“{name_of(ind)}”与第{seen + 1}条重复。",
            {
                "重复指标": name_of(ind),
                "首次出现": f"第{seen + 1}条",
                "本条": f"第{ind.index + 1}条",
            },
            indicator_index=ind.index,
        )


@rule(
    id="JX025",
    title="年度目标照抄实施周期目标",
    severity=Severity.INFO,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "年度目标应是实施周期目标在本年度的分解，不应原样照抄（rules.md R2、"
        "P7“长期目标与年度目标混淆”）。"
    ),
    suggestion="写明本年度要完成的部分（工作量、阶段成果）。",
)
def annual_goal_copied(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """同时填了实施周期目标和年度目标，两者文字完全相同。

    反例：实施周期目标与年度目标都是“完成智慧市场监管平台建设”。
    正例：实施周期目标“三年内建成平台”，年度目标“2023年完成一期建设并上线”。
    """
    goal, annual = pf.project.goal, pf.project.annual_goal
    if not goal or not annual:
        return
    if compact(goal) == compact(annual):
        yield Hit(
            "年度目标与实施周期目标文字完全相同，没有分解到本年度。",
            {"实施周期目标": goal[:60], "年度目标": annual[:60]},
        )
