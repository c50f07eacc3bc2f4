"""Rules on a project's indicator set as a whole: required categories, cost, count, basis."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.domain.enums import ReviewDimension, Severity
from jixiao.review.context import ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import name_of


def _present_codes(pf: ProjectFacts) -> tuple[set[str], set[str]]:
    level1: set[str] = set()
    level2: set[str] = set()
    for ind in pf.indicators:
        lv = ind.levels
        parent = lv.l2_parent or lv.l1
        if parent is not None:
            level1.add(parent.code)
        if lv.l2 is not None:
            level2.add(lv.l2.code)
    return level1, level2


@rule(
    id="JX003",
    title="缺少必设的指标类别",
    severity=Severity.ERROR,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "88号要求目标反映产出、效益和服务对象满意度；产出下至少设数量、"
        "质量指标（rules.md W11、R3；必设类别由审核配置确定）。"
    ),
    suggestion="为缺少的类别各补设至少一条反映本项目的三级指标。",
)
def missing_category(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """项目缺少审核配置要求的一级或二级指标类别。

    反例：只有“11-数量指标”和“22-社会效益”，没有质量、满意度指标。
    正例：产出（数量、质量）、效益、满意度指标各至少一条。
    """
    fw = ctx.framework
    level1, level2 = _present_codes(pf)
    missing = [c for c in ctx.profile.required_level1 if c not in level1]
    missing += [c for c in ctx.profile.required_level2 if c not in level2]
    if not missing:
        return
    names = [cat.name for c in missing if (cat := fw.by_code(c, 1) or fw.by_code(c, 2))]
    names = names or missing
    yield Hit(
        f"项目没有{'、'.join(names)}。",
        {"缺少": "、".join(names), "指标条数": str(len(pf.indicators))},
    )


@rule(
    id="JX004",
    title="没有成本指标",
    severity=Severity.WARNING,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.PROJECT,
    rationale=(
        "101号要求绩效目标包含成本控制要求；缺成本指标即“成本维度空洞”（rules.md §2.3、P5）。"
    ),
    suggestion="补设成本指标，如单位成本（“≤XX元/人次”）或成本控制（“项目总成本≤预算”）。",
)
def no_cost_indicator(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """项目没有任何成本指标。

    反例：只有数量、质量、效益、满意度指标。
    正例：另有“14-成本指标，单台设备采购成本：≤15万元”。
    """
    if not any("成本" in c.name for c in ctx.framework.categories):
        return
    if pf.indicators and not any(ind.is_cost for ind in pf.indicators):
        yield Hit("项目没有成本指标，无法衡量成本控制。", {"指标条数": str(len(pf.indicators))})


@rule(
    id="JX015",
    title="指标条数过少",
    severity=Severity.WARNING,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "指标须全面反映产出和效果；地方规定三级指标一般不少于3个（rules.md W11、"
        "R12；下限由审核配置确定）。"
    ),
    suggestion="补设反映主要产出和效果的指标，达到最少条数。",
)
def too_few_indicators(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """三级指标条数少于审核配置的下限。

    反例：只有1条“工作完成率：100%”。
    正例：数量、质量、时效、效益、满意度各有指标，共6条。
    """
    minimum = ctx.profile.thresholds.min_indicators
    if len(pf.indicators) < minimum:
        yield Hit(
            f"项目只有{len(pf.indicators)}条指标，少于最少{minimum}条的要求。",
            {"指标条数": str(len(pf.indicators)), "最少条数": str(minimum)},
        )


@rule(
    id="JX022",
    title="未填写指标值设定依据",
    severity=Severity.INFO,
    dimension=ReviewDimension.FEASIBILITY,
    scope=Scope.PROJECT,
    rationale=(
        "指标值须有设定依据（计划、行业、历史、预算支出标准），审核据此判断可行性（"
        "rules.md §4.4、R7）。"
    ),
    suggestion="填写依据类别（计划/行业/历史/预算支出标准/其他）及数据来源。",
)
def missing_basis(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """表格设有“设定依据”栏（或配置要求填写）时，个别指标未填。

    反例：6条指标中5条填了依据，“培训人次”未填。
    正例：每条指标都写明“历史标准：近三年平均480人次”之类的依据。
    """
    filled = [bool(ind.indicator.basis and ind.indicator.basis.strip()) for ind in pf.indicators]
    if not (ctx.profile.require_basis or any(filled)):
        return
    for ind, has_basis in zip(pf.indicators, filled, strict=True):
        if not has_basis:
            yield Hit(
                f"指标“{name_of(ind)}”没有填写指标值设定依据。",
                {"设定依据": "（空）"},
                indicator_index=ind.index,
            )
