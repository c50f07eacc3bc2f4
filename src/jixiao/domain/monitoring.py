"""Mid-year monitoring (绩效运行监控, "双监控"): budget execution and goal attainment so far.

A monitoring round covers the months from January to ``end_month`` of a fiscal year (the key
national round is 1–7月, reported in August). Per project it records the funds executed so far
and the full-year forecast; per indicator the value so far, the full-year forecast, how likely
the annual target is to be met, and — when off track — the causes and corrective measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jixiao.domain.enums import (
    CompletionLikelihood,
    DeviationCause,
    FundSource,
    LabeledEnum,
    QualitativeTier,
)
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.target import TargetValue
from jixiao.errors import InvalidValue


class BudgetLine(LabeledEnum):
    """The funds rows of the monitoring and self-evaluation tables (项目资金)."""

    TOTAL = "total", "年度资金总额"
    FISCAL = "fiscal", FundSource.FISCAL.label
    CARRYOVER = "carryover", "上年结转资金"
    SPECIAL = "special", FundSource.SPECIAL.label
    OTHER = "other", FundSource.OTHER.label


@dataclass(frozen=True)
class MonitoringRound:
    """A monitoring period: January to ``end_month`` of ``year``, reported by ``deadline``."""

    year: int
    end_month: int
    deadline: date | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.end_month <= 12:
            raise InvalidValue(f"监控截止月份须在 1–12 之间：{self.end_month}")
        if self.deadline is not None and self.deadline.year < self.year:
            raise InvalidValue(f"报送截止日期 {self.deadline} 早于监控年度 {self.year}")

    @property
    def label(self) -> str:
        """The period as the tables write it: ``1–7月`` (``1月`` for January alone)."""
        return "1月" if self.end_month == 1 else f"1–{self.end_month}月"

    @property
    def time_progress(self) -> Decimal:
        """Share of the year elapsed (序时进度), e.g. 7/12 for 1–7月."""
        return Decimal(self.end_month) / Decimal(12)


@dataclass(frozen=True)
class FundsProgress:
    """One funds row of the monitoring table: 年初预算数 | 执行数 so far | 全年预计执行数."""

    line: BudgetLine
    budget: Money
    executed: Money
    forecast: Money | None = None

    def __post_init__(self) -> None:
        for name in ("budget", "executed"):
            if getattr(self, name).fen < 0:
                raise InvalidValue(f"{self.line.label}的金额不能为负数")

    @property
    def execution_rate(self) -> Decimal | None:
        """executed / budget, or None when the budget is zero."""
        return self.executed.ratio_to(self.budget)


@dataclass(frozen=True)
class IndicatorMonitoring:
    """One indicator row of the monitoring table.

    ``actual`` is the cumulative value so far for a quantitative indicator; ``actual_tier`` is
    the progress so far of a qualitative one (达成 / 部分达成 / 未达成). ``forecast`` and
    ``forecast_text`` are the full-year forecast (全年预计完成情况) as a number or as text.
    """

    name: str
    target: TargetValue
    level1: LevelRef | None = None
    level2: LevelRef | None = None
    actual: Decimal | None = None
    actual_tier: QualitativeTier | None = None
    actual_text: str | None = None
    forecast: Decimal | None = None
    forecast_text: str | None = None
    likelihood: CompletionLikelihood | None = None
    causes: frozenset[DeviationCause] = frozenset()
    cause_note: str = ""
    measures: str = ""
    note: str = ""

    @property
    def has_deviation_reason(self) -> bool:
        """A cause category is ticked and the deviation is explained in words."""
        return bool(self.causes) and bool((self.cause_note or self.measures).strip())

    def actual_display(self) -> str:
        if self.actual_text:
            return self.actual_text
        if self.actual is not None:
            return f"{self.actual}{self.target.unit or ''}"
        return self.actual_tier.label if self.actual_tier else ""

    def forecast_display(self) -> str:
        if self.forecast_text:
            return self.forecast_text
        if self.forecast is not None:
            return f"{self.forecast}{self.target.unit or ''}"
        return ""


@dataclass
class ProjectMonitoring:
    """A project's monitoring record for one round."""

    project: str
    round: MonitoringRound
    funds: list[FundsProgress] = field(default_factory=list)
    indicators: list[IndicatorMonitoring] = field(default_factory=list)
    department: str | None = None
    unit_name: str | None = None
    goal: str | None = None
    goal_progress: str | None = None
    # Why budget execution lags time progress, and what will be done (资金执行偏差说明).
    budget_deviation: str = ""

    def funds_line(self, line: BudgetLine) -> FundsProgress | None:
        return next((f for f in self.funds if f.line is line), None)

    @property
    def total_funds(self) -> FundsProgress | None:
        """The 年度资金总额 row (the first row when no explicit total is given)."""
        return self.funds_line(BudgetLine.TOTAL) or (self.funds[0] if self.funds else None)
