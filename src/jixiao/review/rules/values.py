"""Rules on target values (指标值): measurable, in range, in the right direction, filled in."""

from __future__ import annotations

import re

from jixiao.domain.enums import Operator, ReviewDimension, Severity, TargetKind
from jixiao.domain.numbers import plain as fmt
from jixiao.review.context import ANNUAL_LABEL, IndicatorFacts, ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import (
    DOWNWARD,
    HUNDRED,
    UPWARD,
    expected_direction,
    is_placeholder,
    is_satisfaction,
    is_wordy,
    measurable_keyword,
    name_of,
    percent_value,
)
from jixiao.review.text import compact, contains_any


@rule(
    id="JX006",
    title="指标值含糊，无法衡量",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="88号要求指标细化量化；101号“量化易评”；定性指标须有分级标准（rules.md W10、P2）。",
    suggestion="改为“运算符+数值+单位”（如“≥95%”“≤5个工作日”）；确属定性的，写明达成标准。",
)
def vague_target(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """名称要求数值却填了文字，或用了没有分级标准的套话。

    反例：“执法办案立案数：效果明显”；“服务质量：持续优化”。
    正例：“执法办案立案数：≥1500宗”；“服务质量：≥95%（按季度考评得分计）”。
    """
    words = ctx.words
    for label, tv in ind.targets:
        if not is_wordy(tv, words):
            continue
        keyword = measurable_keyword(ind, words)
        phrase = None if ind.indicator.explanation else contains_any(tv.raw, words.vague_phrases)
        if keyword:
            message = (
                f"指标“{name_of(ind)}”名称含“{keyword}”，应填写可衡量的数值，"
                f"{label}却是文字“{compact(tv.raw)}”。"
            )
        elif phrase:
            message = (
                f"{label}“{compact(tv.raw)}”是套话（“{phrase}”），没有分级标准，无法判断是否完成。"
            )
        else:
            continue
        return Hit(message, {label: tv.raw, "依据": keyword or phrase or ""})
    return None


@rule(
    id="JX007",
    title="满意度目标设为100%",
    severity=Severity.WARNING,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.INDICATOR,
    rationale="满意度通常以抽样调查取得，100%不切实际，也无法体现改进空间（rules.md §4.5-6、P6）。",
    suggestion="按以往调查结果设定合理目标（如“≥90%”），并写明调查对象与方式。",
)
def satisfaction_hundred(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """满意度指标的目标值为100%（=100%或≥100%，或百分制的100分）。

    反例：“服务对象满意度：100%”。
    正例：“服务对象满意度：≥90%”。
    """
    for label, tv in ind.targets:
        if tv.op is not Operator.EQ and tv.op is not Operator.GE:
            continue
        full = percent_value(tv) == HUNDRED or (tv.unit == "分" and tv.value == HUNDRED)
        if full and is_satisfaction(ind, ctx):
            return Hit(
                f"满意度指标“{name_of(ind)}”的{label}为“{compact(tv.raw)}”，"
                "满分的满意度几乎不可能达到，目标不合理。",
                {label: tv.raw},
            )
    return None
    for label, tv in ind.targets:
        full = percent_value(tv) == HUNDRED or (tv.unit == "分" and tv.value == HUNDRED)
        if full and tv.op in (Operator.EQ, Operator.GE):
            return Hit(
                f"满意度指标“{name_of(ind)}”的{label}为“{compact(tv.raw)}”，"
                "满分的满意度几乎不可能达到，目标不合理。",
                {label: tv.raw},
            )
    return None


@rule(
    id="JX011",
    title="比率超出0–100%",
    severity=Severity.ERROR,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.INDICATOR,
    rationale="百分比目标须在0–100%之间（rules.md §4.5-2），增长类比率除外。",
    suggestion="检查数值或单位：比率不超过100%；增长幅度请在名称中写明“增长率”。",
)
def rate_out_of_range(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """百分比目标大于100%、“>100%”或小于0。

    反例：“验收合格率：≥120%”；“按时完成率：>100%”。
    正例：“验收合格率：≥98%”；“营业收入增长率：≥120%”（增长类比率可超过100%）。
    """
    for label, tv in ind.targets:
        value = percent_value(tv)
        if value is None or not (value > HUNDRED or value < 0 or tv.op is Operator.GT):
            continue
        if contains_any(ind.name + tv.raw, ctx.words.growth_names):
            return None
        if value > HUNDRED or value < 0 or value == HUNDRED:
            return Hit(
                f"比率指标“{name_of(ind)}”的{label}为“{compact(tv.raw)}”，超出0–100%的范围。",
                {label: tv.raw},
            )
    return None


@rule(
    id="JX012",
    title="指标方向与运算符相反",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "计算符号决定正向/反向指标（一体化 PMKPIZBXS：≥、>为正向，≤、"
        "<为反向）；反向指标用“≥”会把越差算作越好（rules.md §4.5-3）。"
    ),
    suggestion="越低越好的指标（投诉率、出错率、时限、成本）用“≤”；越高越好的用“≥”。",
)
def direction_mismatch(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """越低越好的指标用了“≥/>”，或越高越好的指标用了“≤/<”。

    反例：“投诉率：≥5%”；“验收合格率：≤95%”。
    正例：“投诉率：≤5%”；“验收合格率：≥95%”。
    """
    if not any(tv.op in UPWARD or tv.op in DOWNWARD for _, tv in ind.targets):
        return None
    expected = expected_direction(ind, ctx)
    if expected is None:
        return None
    direction, keyword = expected
    wrong = UPWARD if direction == "lower" else DOWNWARD
    for label, tv in ind.targets:
        if tv.kind is TargetKind.QUANTITATIVE and tv.op in wrong:
            better = "越低越好" if direction == "lower" else "越高越好"
            return Hit(
                f"指标“{name_of(ind)}”（含“{keyword}”）{better}，"
                f"{label}“{compact(tv.raw)}”的方向却相反。",
                {label: tv.raw, "关键词": keyword, "应为": "≤" if direction == "lower" else "≥"},
            )
    return None


@rule(
    id="JX039",
    title="反向指标未写“≤”",
    severity=Severity.INFO,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "只写数值时按“=”理解，无法判断超出或低于目标的好坏；"
        "反向指标应写“≤”（一体化 PMKPIZBXS 计算符号，rules.md §4.1、§4.2）。"
    ),
    suggestion="越低越好的指标写成上限，如“服务质量书面投诉率：≤5%”。",
)
def reverse_without_bound(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """越低越好的指标（投诉率、出错率、时限等）只写了一个非零数值，没有“≤”。

    反例：“服务质量书面投诉率：5%”。
    正例：“服务质量书面投诉率：≤5%”；“重大安全事故次数：0”；成本指标的金额（由 JX005 核对）。
    """
    if ind.is_cost:
        return None  # a bare amount under 成本 is the budgeted cost, checked by JX005
    for label, tv in ind.targets:
        if tv.kind is not TargetKind.QUANTITATIVE or tv.op is not Operator.EQ or not tv.value:
            continue
        expected = expected_direction(ind, ctx)
        if expected is None or expected[0] != "lower":
            return None
        return Hit(
            f"指标“{name_of(ind)}”越低越好（含“{expected[1]}”），{label}“{compact(tv.raw)}”"
            "却没有写“≤”，无法判断是上限还是要达到的数。",
            {label: tv.raw, "关键词": expected[1], "应为": f"≤{tv.format()}"},
        )
    return None


@rule(
    id="JX016",
    title="指标值缺失或缺少单位",
    severity=Severity.WARNING,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.INDICATOR,
    rationale="定量指标须有运算符、数值和计量单位，一体化系统缺单位不能保存（rules.md W3、P3）。",
    suggestion="补填指标值；定量指标写明单位（%、个、天、万元等）。",
)
def missing_value(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """指标没有任何目标值，或定量目标没有计量单位（0除外）。

    反例：“培训人次：（空）”；“培训人次：500”。
    正例：“培训人次：≥500人次”；“重大安全事故次数：0”。
    """
    targets = [(label, tv) for label, tv in ind.targets if tv.raw.strip()]
    if not targets:
        return Hit(f"指标“{name_of(ind)}”未填写指标值。", {"指标值": "（空）"})
    if _UNIT_IN_NAME.search(ind.indicator.name):
        return None  # 重大事故发生次数(次)：1
    for label, tv in targets:
        if tv.kind is TargetKind.QUANTITATIVE and not tv.unit and tv.value:
            return Hit(
                f"指标“{name_of(ind)}”的{label}“{compact(tv.raw)}”只有数字，没有计量单位。",
                {label: tv.raw},
            )
    return None


_UNIT_IN_NAME = re.compile(r"[（(]\s*[^()（）\s]{1,4}\s*[)）]\s*$")
_COUNT_SUFFIXES = ("个数", "人数", "次数", "件数", "户数", "数量", "批次", "数")


def _count_suffix(name: str) -> str | None:
    if not name.endswith(_COUNT_SUFFIXES):
        return None
    return next(suffix for suffix in _COUNT_SUFFIXES if name.endswith(suffix))


@rule(
    id="JX023",
    title="单位与指标名称不符（率用计数单位或数量用%）",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "名称决定口径：“率”是比例，“数”是数量；单位不符说明指标名称或口径写错（rules.md W3、P4）。"
    ),
    suggestion="按实际口径改名称或单位：计数的改为“…数量（台）”，比例的改为“%”。",
)
def unit_misfits_name(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """名称以“率”结尾却用计数单位，或以“数/数量”结尾却用%。

    反例：“智慧电梯完成率：1800台”；“培训人数：100%”。
    正例：“智慧电梯接入数量：1800台”；“培训覆盖率：100%”。
    """
    name = ind.name
    for label, tv in ind.targets:
        if tv.kind is not TargetKind.QUANTITATIVE or not tv.unit:
            continue
        unit = compact(tv.unit)
        if unit in ("%", "％"):
            suffix = _count_suffix(name)
            if suffix is None:
                continue
            problem = f"名称是数量（“…{suffix}”），{label}“{compact(tv.raw)}”却是百分比"
        elif name.endswith("率") and unit in ctx.words.count_units:
            problem = f"名称是比率（“…率”），{label}“{compact(tv.raw)}”却是计数单位“{unit}”"
        else:
            continue
        return Hit(f"指标“{name_of(ind)}”{problem}。", {label: tv.raw, "单位": unit})
    return None


@rule(
    id="JX024",
    title="年度时限晚于预算年度",
    severity=Severity.WARNING,
    dimension=ReviewDimension.FEASIBILITY,
    scope=Scope.INDICATOR,
    rationale="年度指标须在本预算年度内完成，年度值不应跨年（rules.md W5、W9）。",
    suggestion="年度时限改为本年12月31日前；跨年的安排写入实施周期指标值。",
)
def deadline_after_year(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """年度指标值的完成时限晚于预算年度末。

    反例：2023年度表中“项目完成时间：2024年6月30日前”（年度指标值）。
    正例：2023年度表中“项目完成时间：2023年12月31日前”。
    """
    annual = ind.indicator.annual
    if ctx.year is None or annual is None or annual.deadline is None:
        return None
    if annual.deadline.year > ctx.year:
        return Hit(
            f"指标“{name_of(ind)}”的年度时限“{compact(annual.raw)}”晚于{ctx.year}年底。",
            {ANNUAL_LABEL: annual.raw, "预算年度": str(ctx.year)},
        )
    return None


@rule(
    id="JX026",
    title="指标值为占位符",
    severity=Severity.ERROR,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.INDICATOR,
    rationale="一体化系统不接受以“*”“_”“-”等占位的指标值（rules.md W4）。",
    suggestion="填写真实的目标值；本项目确不适用的指标应删除。",
)
def placeholder_value(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """指标值是“-”“*”“_”“无”“待定”等占位符。

    反例：“扶持知识产权转让许可：达到指定金额:无”；“培训人次：*”。
    正例：“扶持知识产权转让许可：≥5项”；“培训人次：≥500人次”。
    """
    for label, tv in ind.targets:
        if tv.kind is TargetKind.QUANTITATIVE or not tv.raw.strip():
            continue
        if is_placeholder(tv.raw, ctx.words, ind.name):
            return Hit(
                f"指标“{name_of(ind)}”的{label}“{compact(tv.raw)}”是占位符，不是目标值。",
                {label: tv.raw},
            )
    return None


@rule(
    id="JX031",
    title="数量指标填写了定性值",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="数量指标反映提供产品或服务的数量，应为数值（rules.md §2.2、P4“数量质量混淆”）。",
    suggestion="写明数量及单位（如“≥10件”）；若描述的是标准或要求，改放质量指标。",
)
def qualitative_quantity(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """二级指标为“数量指标”，指标值却是一段文字（名称已含“数/率”的由 JX006 报告）。

    反例：“11-数量指标，资助国际注册商标权：通过国家授权发明专利”。
    正例：“11-数量指标，资助国际注册商标：≥20件”。
    """
    if ind.levels.kind2 != "quantity" or measurable_keyword(ind, ctx.words):
        return None
    for label, tv in ind.targets:
        if is_wordy(tv, ctx.words):
            return Hit(
                f"数量指标“{name_of(ind)}”的{label}是文字“{compact(tv.raw)}”，没有数量。",
                {
                    label: tv.raw,
                    "二级指标": ind.indicator.level2.format() if ind.indicator.level2 else "",
                },
            )
    return None


@rule(
    id="JX033",
    title="非必达比率设为“≥100%”",
    severity=Severity.INFO,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.INDICATOR,
    rationale=(
        "“≥100%”只适用于必须全部完成的事项（按时完成率、发放到位率），"
        "其他比率不可能超过100%，应写实际可达的目标（rules.md §4.5-2）"
        "。"
    ),
    suggestion="改为“=100%”（必须全部达成时）或合理的目标值（如“≥95%”）。",
)
def hundred_or_more(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """质量、效益类比率写成“≥100%”“100%以上”。

    反例：“设备正常使用率：≥100%”。
    正例：“设备正常使用率：≥98%”；“补助资金发放率：≥100%”（必达事项）。
    """
    for label, tv in ind.targets:
        if percent_value(tv) != HUNDRED or tv.op is not Operator.GE:
            continue
        if is_satisfaction(ind, ctx) or contains_any(ind.name, ctx.words.must_complete_rates):
            return None
        raw = compact(tv.raw)
        if not raw.startswith("达"):
            return Hit(
                f"比率“{name_of(ind)}”的{label}为“{raw}”，比率不会超过100%，写“≥100%”没有意义。",
                {label: tv.raw, "数值": fmt(HUNDRED) + "%"},
            )
    return None
