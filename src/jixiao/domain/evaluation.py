"""Year-end self-evaluation (单位自评): what was spent and what each indicator achieved.

This is the data a unit enters in the 项目支出绩效自评表 (财预〔2020〕10号 annex); scoring it is
``jixiao.scoring.selfeval``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jixiao.domain.enums import QualitativeTier
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.monitoring import BudgetLine
from jixiao.domain.provenance import Repair
from jixiao.domain.target import TargetValue
from jixiao.errors import InvalidValue


@dataclass(frozen=True)
class FundsExecution:
    """One funds row: 年初预算数 | 全年预算数 | 全年执行数."""

    line: BudgetLine
    budget: Money
    executed: Money
    initial_budget: Money | None = None
    # 执行率 (in percent), 分值 and 得分 as a published table prints them.
    published_rate: Decimal | None = None
    published_weight: Decimal | None = None
    published_score: Decimal | None = None

    def __post_init__(self) -> None:
        if self.budget.fen < 0 or self.executed.fen < 0:
            raise InvalidValue(f"{self.line.label}的金额不能为负数")

    @property
    def execution_rate(self) -> Decimal | None:
        """全年执行数 / 全年预算数, or None when the budget is zero."""
        return self.executed.ratio_to(self.budget)


@dataclass(frozen=True)
class IndicatorActual:
    """One indicator row of the self-evaluation table.

    Exactly one kind of actual is expected: ``actual`` (a number, for a quantitative target),
    ``actual_date`` (for a deadline), or ``tier`` (达成 / 部分达成 / 未达成) with an optional
    ``tier_percent`` — the evaluator's score as a percentage of the indicator's points, which
    must lie inside the tier's band. ``weight`` is the indicator's points when the unit set them
    itself; otherwise the profile distributes its level-1 points.
    """

    name: str
    target: TargetValue
    level1: LevelRef | None = None
    level2: LevelRef | None = None
    actual: Decimal | None = None
    actual_date: date | None = None
    actual_text: str | None = None
    tier: QualitativeTier | None = None
    tier_percent: Decimal | None = None
    not_applicable: bool = False
    weight: Decimal | None = None
    deviation: str = ""
    # 得分 as a published table prints it (``weight`` is then the printed 分值).
    published_score: Decimal | None = None

    def __post_init__(self) -> None:
        if self.weight is not None and self.weight < 0:
            raise InvalidValue(f"指标“{self.name}”的分值不能为负数")
        if self.tier_percent is not None and not 0 <= self.tier_percent <= 100:
            raise InvalidValue(f"指标“{self.name}”的档内得分率须在 0–100 之间")
        given = [v for v in (self.actual, self.actual_date, self.tier) if v is not None]
        if len(given) > 1:
            raise InvalidValue(
                f"指标“{self.name}”只能填写一种实际完成值（数值、完成日期或完成档次）"
            )

    @property
    def has_actual(self) -> bool:
        """Some 实际完成值 was given (a number, a date, a tier or text)."""
        given = (self.actual, self.actual_date, self.tier)
        return any(v is not None for v in given) or bool((self.actual_text or "").strip())

    def actual_display(self) -> str:
        """The 实际完成值 as the table shows it."""
        if self.not_applicable:
            return "不适用"
        if self.actual_text:
            return self.actual_text
        if self.actual is not None:
            return f"{self.actual}{self.target.unit or ''}"
        if self.actual_date is not None:
            d = self.actual_date
            return f"{d.year}年{d.month}月{d.day}日"
        return self.tier.label if self.tier else ""


@dataclass
class SelfEvaluation:
    """A project's self-evaluation for one fiscal year."""

    project: str
    year: int | None = None
    department: str | None = None
    unit_name: str | None = None
    funds: list[FundsExecution] = field(default_factory=list)
    indicators: list[IndicatorActual] = field(default_factory=list)
    goal: str | None = None
    goal_result: str | None = None
    # 总分 and 自评等级 as a published table prints them.
    published_total: Decimal | None = None
    published_grade: str | None = None
    # What the reader changed to recover the published form (page text: a split number …).
    repairs: list[Repair] = field(default_factory=list)

    def funds_line(self, line: BudgetLine) -> FundsExecution | None:
        return next((f for f in self.funds if f.line is line), None)

    @property
    def total_funds(self) -> FundsExecution | None:
        """The 年度资金总额 row (the first row when no explicit total is given)."""
        return self.funds_line(BudgetLine.TOTAL) or (self.funds[0] if self.funds else None)
