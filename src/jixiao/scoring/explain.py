"""Scores that explain themselves: each line carries target, actual, formula and points."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from jixiao.domain.enums import Grade

CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    """Round half up to two places (how score tables write points), at any magnitude."""
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() + 4)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(ratio: Decimal) -> str:
    """A ratio as a percentage with two places: ``Decimal("0.4")`` → ``40.00%``."""
    return f"{q2(ratio * 100)}%"


@dataclass(frozen=True)
class ValidationIssue:
    """Something the evaluator must fix or explain before the score can stand."""

    project: str
    indicator: str | None
    field: str
    message: str


@dataclass(frozen=True)
class ScoreLine:
    """One scored row: the budget execution line or one indicator."""

    kind: str  # "budget" | "indicator"
    name: str
    group: str
    target: str
    actual: str
    weight: Decimal
    points: Decimal | None
    formula: str
    branch: str
    level1: str = ""
    level2: str = ""
    needs_explanation: bool = False
    explanation: str = ""

    @property
    def applicable(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class EvaluationScore:
    """The self-evaluation score of one project, line by line."""

    project: str
    profile_id: str
    lines: tuple[ScoreLine, ...]
    total: Decimal
    grade: Grade
    notes: tuple[str, ...] = ()
    issues: tuple[ValidationIssue, ...] = field(default_factory=tuple)

    @property
    def budget_line(self) -> ScoreLine | None:
        return next((ln for ln in self.lines if ln.kind == "budget"), None)

    @property
    def indicator_lines(self) -> tuple[ScoreLine, ...]:
        return tuple(ln for ln in self.lines if ln.kind == "indicator")

    def group_weight(self, group: str) -> Decimal:
        return sum((ln.weight for ln in self.indicator_lines if ln.group == group), Decimal(0))

    def explain(self) -> str:
        """The whole score as plain text, one line per scored row."""
        out = [f"项目：{self.project}（评分口径：{self.profile_id}）"]
        for ln in self.lines:
            points = "不计分" if ln.points is None else f"{ln.points} 分"
            out.append(
                f"- {ln.group}｜{ln.name}：指标值 {ln.target or '—'}，实际 {ln.actual or '—'}；"
                f"{ln.formula} → {points}（分值 {ln.weight}）"
            )
        out.extend(f"注：{n}" for n in self.notes)
        out.append(f"总分 {self.total}，等级 {self.grade.label}")
        out.extend(f"待补正：{i.indicator or i.project}：{i.message}" for i in self.issues)
        return "\n".join(out)
