"""Rules on money: project amounts, and cost indicators against the budget."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.domain.enums import MoneyUnit, ReviewDimension, Severity, TargetKind
from jixiao.domain.numbers import plain as fmt
from jixiao.domain.project import Amounts
from jixiao.review.context import ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import is_wordy, money_in, name_of
from jixiao.review.text import compact, contains_any


def budget_of(amounts: Amounts) -> Decimal | None:
    """The project's total: the 总计 cell, else the sum of the funding sources when any is set."""
    if amounts.total is not None:
        return amounts.total
    if any(v is not None for v in (amounts.fiscal, amounts.special, amounts.other)):
        return amounts.parts_sum()
    return None


def _names_a_cost(name: str, whole: str | None, ctx: RuleContext) -> bool:
    """Filed elsewhere but named as the project's cost (not a saving such as 节约成本)."""
    if not (whole or "成本" in name):
        return False
    return contains_any(name, ctx.words.direction_inverters) is None


@rule(
    id="JX005",
    title="成本指标与预算不符",
    severity=Severity.ERROR,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.PROJECT,
    rationale=(
        "成本指标不得超过预算及支出标准；以项目总成本命名的指标应与预算一致（"
        "88号“资金匹配性”；rules.md W8、R5、P5）。"
    ),
    suggestion="按预算核定成本指标：总成本不超过项目总额，并补充单位成本指标。",
)
def cost_vs_budget(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """金额型成本指标超过项目总额，或以总成本命名却与总额不符（超出容差）。

    反例：项目总额110万元，“14-成本指标，工资福利金额：213万元”。
    正例：项目总额1714.44万元，“14-成本指标，工资福利金额：1714.44万元”。
    """
    budget = budget_of(pf.project.amounts)
    if budget is None or budget <= 0:
        return
    unit = (ctx.unit or MoneyUnit.WAN_YUAN).value
    tolerance = budget * ctx.profile.thresholds.money_tolerance_ratio
    for ind in pf.indicators:
        whole = contains_any(ind.name, ctx.words.whole_cost_names)
        if not (ind.is_cost or _names_a_cost(ind.name, whole, ctx)):
            continue
        for label, tv in ind.targets:
            amount = money_in(tv, unit)
            if amount is None:
                continue
            if amount > budget + tolerance:
                problem = "超过项目总额"
            elif whole and abs(amount - budget) > tolerance:
                problem = "是项目总成本，却与项目总额不一致"
            else:
                continue
            yield Hit(
                f"成本指标“{name_of(ind)}”的{label}为{compact(tv.raw)}，{problem}"
                f"（项目总额{fmt(budget)}{unit}）。",
                {label: tv.raw, "折合": f"{fmt(amount)}{unit}", "项目总额": f"{fmt(budget)}{unit}"},
                indicator_index=ind.index,
            )
            break


@rule(
    id="JX010",
    title="资金合计与分项之和不符",
    severity=Severity.ERROR,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "总计应等于财政拨款、财政专户拨款与其他资金之和（目标表资金栏的勾稽关系，rules.md R1）。"
    ),
    suggestion="核对各资金来源的金额，使分项之和等于总计。",
)
def amounts_do_not_add_up(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """总计不等于财政拨款+财政专户拨款+其他资金（超出容差）。

    反例：总计90.00，财政拨款80.00，其他资金空。
    正例：总计90.00，财政拨款80.00，其他资金10.00。
    """
    a = pf.project.amounts
    if a.total is None or all(v is None for v in (a.fiscal, a.special, a.other)):
        return
    parts = a.parts_sum()
    if abs(a.total - parts) > ctx.profile.thresholds.amount_tolerance:
        yield Hit(
            f"总计{fmt(a.total)}与各资金来源之和{fmt(parts)}不一致（相差{fmt(a.total - parts)}）。",
            {
                "总计": fmt(a.total),
                "财政拨款": "" if a.fiscal is None else fmt(a.fiscal),
                "财政专户拨款": "" if a.special is None else fmt(a.special),
                "其他资金": "" if a.other is None else fmt(a.other),
                "分项之和": fmt(parts),
            },
        )


@rule(
    id="JX030",
    title="成本指标不是金额",
    severity=Severity.WARNING,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.PROJECT,
    rationale=(
        "成本指标反映提供产出的成本，应以金额（总成本或单位成本）或成本控制比例表示（"
        "rules.md §2.2、W8）。"
    ),
    suggestion="改为金额（“≤XX万元”“≤XX元/人次”）或成本控制率（“≤100%”）。",
)
def cost_not_money(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """成本指标的目标值是计数单位、时间单位或一段文字。

    反例：“14-成本指标，车辆维修次数：≤10次”；“14-成本指标，成本控制：合理”。
    正例：“14-成本指标，单车年维修成本：≤0.8万元”；“14-成本指标，成本控制率：≤100%”。
    """
    for ind in pf.indicators:
        if not ind.is_cost:
            continue
        for label, tv in ind.targets:
            unit = compact(tv.unit or "")
            not_money = tv.kind is TargetKind.QUANTITATIVE and unit and "元" not in unit
            if (not_money and unit not in ("%", "％")) or is_wordy(tv, ctx.words):
                yield Hit(
                    f"成本指标“{name_of(ind)}”的{label}“{compact(tv.raw)}”不是金额。",
                    {label: tv.raw},
                    indicator_index=ind.index,
                )
                break


@rule(
    id="JX038",
    title="项目金额缺失",
    severity=Severity.ERROR,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.PROJECT,
    rationale=(
        "目标表须列明项目资金总额及来源，目标规模须与资金规模匹配（88号“相应匹配”；rules.md R1）。"
    ),
    suggestion="填写项目总额及财政拨款、其他资金等来源金额。",
)
def amounts_missing(pf: ProjectFacts, ctx: RuleContext) -> Iterator[Hit]:
    """项目总计和各资金来源都为空或为零。

    反例：总计、财政拨款、其他资金均为空。
    正例：总计32.00万元，其中财政拨款32.00万元。
    """
    budget = budget_of(pf.project.amounts)
    if budget is None or budget == 0:
        yield Hit(
            "项目没有填写资金金额（总计及各来源均为空或为零）。",
            {"总计": "（空）" if budget is None else fmt(budget)},
        )
