"""Builders for self-evaluation and monitoring inputs used across the scoring tests."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.monitoring import (
    BudgetLine,
    FundsProgress,
    IndicatorMonitoring,
    MonitoringRound,
    ProjectMonitoring,
)
from jixiao.domain.target import parse_target

LEVEL2 = {
    "数量": ("1", "产出指标", "11", "数量指标"),
    "质量": ("1", "产出指标", "12", "质量指标"),
    "时效": ("1", "产出指标", "13", "时效指标"),
    "成本": ("1", "产出指标", "14", "成本指标"),
    "经济效益": ("2", "效益指标", "21", "经济效益指标"),
    "社会效益": ("2", "效益指标", "22", "社会效益指标"),
    "满意度": ("3", "满意度指标", "31", "服务对象满意度指标"),
}


def ind(category: str, name: str, target: str, **kw: object) -> IndicatorActual:
    c1, n1, c2, n2 = LEVEL2[category]
    return IndicatorActual(
        name=name,
        target=parse_target(target),
        level1=LevelRef(c1, n1),
        level2=LevelRef(c2, n2),
        **kw,  # type: ignore[arg-type]
    )


def wan(amount: str) -> Money:
    return Money.of(amount, MoneyUnit.WAN_YUAN)


def evaluation(
    *indicators: IndicatorActual, budget: str | None = "100", executed: str = "100"
) -> SelfEvaluation:
    funds = [] if budget is None else [FundsExecution(BudgetLine.TOTAL, wan(budget), wan(executed))]
    return SelfEvaluation("测试项目", year=2023, funds=funds, indicators=list(indicators))


def D(text: str) -> Decimal:
    return Decimal(text)


def mon(category: str, name: str, target: str, **kw: object) -> IndicatorMonitoring:
    c1, n1, c2, n2 = LEVEL2[category]
    return IndicatorMonitoring(
        name=name,
        target=parse_target(target),
        level1=LevelRef(c1, n1),
        level2=LevelRef(c2, n2),
        **kw,  # type: ignore[arg-type]
    )


def monitoring(
    *indicators: IndicatorMonitoring,
    budget: str = "120",
    executed: str = "70",
    month: int = 7,
    forecast: str | None = None,
    **kw: object,
) -> ProjectMonitoring:
    funds = FundsProgress(
        BudgetLine.TOTAL, wan(budget), wan(executed), None if forecast is None else wan(forecast)
    )
    return ProjectMonitoring(
        "测试项目",
        MonitoringRound(2023, month),
        funds=[funds],
        indicators=list(indicators),
        **kw,  # type: ignore[arg-type]
    )
