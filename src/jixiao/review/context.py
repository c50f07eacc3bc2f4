"""What the rules see: each indicator and project with its categories resolved once.

Resolving a level pair against the framework and normalising names is the costly part of a
review, so it happens here once per indicator, and the rules only read the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.framework import Category, Framework
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Project
from jixiao.domain.target import TargetValue
from jixiao.review.evidence import Benchmark, Benchmarks
from jixiao.review.profile import ReviewProfile, Words
from jixiao.review.text import bigrams, compact, normalize_name

PERIOD_LABEL = "实施周期指标值"
ANNUAL_LABEL = "年度指标值"

_LEVEL1_KINDS = (
    ("成本", "cost"),
    ("产出", "output"),
    ("效益", "benefit"),
    ("满意", "satisfaction"),
)
_LEVEL2_KINDS = (
    ("数量", "quantity"),
    ("质量", "quality"),
    ("时效", "timeliness"),
    ("成本", "cost"),
    ("经济效益", "economic"),
    ("社会效益", "social"),
    ("生态效益", "ecological"),
    ("可持续", "sustainable"),
    ("满意", "satisfaction"),
)


def _kind(category: Category | None, table: tuple[tuple[str, str], ...]) -> str | None:
    if category is None:
        return None
    return next((kind for word, kind in table if word in category.name), None)


@dataclass(frozen=True, slots=True)
class Resolution:
    """A level pair resolved against the framework, with the semantic kinds of its categories.

    ``group`` is the level-1 kind the indicator effectively belongs to (taken from the level-2
    category's parent when the level 2 is known, since it is the more specific of the two).
    """

    l1: Category | None
    l2: Category | None
    l2_parent: Category | None
    group: str | None
    kind2: str | None


@dataclass
class RuleContext:
    """Everything a rule may consult besides its subject: profile, framework, document facts,
    and the evidence passed in from outside the table (last year's results, the peers')."""

    profile: ReviewProfile
    framework: Framework
    unit: MoneyUnit | None = None
    year: int | None = None
    benchmarks: Benchmarks = field(default_factory=dict)
    _levels: dict[tuple[str | None, str | None, str | None, str | None], Resolution] = field(
        default_factory=dict
    )
    _category_names: dict[str, Category] | None = None
    words: Words = field(init=False)

    def __post_init__(self) -> None:
        self.words = self.profile.words

    def benchmark(self, project_index: int, indicator_index: int) -> Benchmark | None:
        return self.benchmarks.get((project_index, indicator_index))

    def category_named(self, name: str) -> Category | None:
        """The level-2 (else level-1) category whose name or synonym is exactly ``name``."""
        if self._category_names is None:
            table: dict[str, Category] = {}
            for cat in sorted(self.framework.categories, key=lambda c: c.level):
                for text in (cat.name, *cat.synonyms):
                    table[text] = cat
            self._category_names = table
        return self._category_names.get(name)

    def resolve(self, level1: LevelRef | None, level2: LevelRef | None) -> Resolution:
        key = (
            level1.code if level1 else None,
            level1.name if level1 else None,
            level2.code if level2 else None,
            level2.name if level2 else None,
        )
        found = self._levels.get(key)
        if found is None:
            found = self._levels[key] = self._resolve(*key)
        return found

    def _resolve(
        self, c1: str | None, n1: str | None, c2: str | None, n2: str | None
    ) -> Resolution:
        fw = self.framework
        l1 = fw.find(c1, compact(n1) if n1 else None, 1) if (c1 or n1) else None
        l2 = fw.find(c2, compact(n2) if n2 else None, 2) if (c2 or n2) else None
        parent = fw.parent(l2) if l2 else None
        group = _kind(parent, _LEVEL1_KINDS) if parent else _kind(l1, _LEVEL1_KINDS)
        kind2 = _kind(l2, _LEVEL2_KINDS)
        if kind2 == "cost" or (l2 is None and group == "cost"):
            kind2 = "cost"
        return Resolution(l1, l2, parent, group, kind2)


def _targets(ind: Indicator) -> tuple[tuple[str, TargetValue], ...]:
    if ind.annual is None:
        return () if ind.period is None else ((PERIOD_LABEL, ind.period),)
    if ind.period is None:
        return ((ANNUAL_LABEL, ind.annual),)
    return ((PERIOD_LABEL, ind.period), (ANNUAL_LABEL, ind.annual))


@dataclass(slots=True)
class IndicatorFacts:
    """One indicator with its normalised name, resolved categories and its targets by label."""

    index: int
    indicator: Indicator
    name: str
    levels: Resolution
    targets: tuple[tuple[str, TargetValue], ...]

    @property
    def is_satisfaction_category(self) -> bool:
        return self.levels.kind2 == "satisfaction" or (
            self.levels.l2 is None and self.levels.group == "satisfaction"
        )

    @property
    def is_cost(self) -> bool:
        return self.levels.kind2 == "cost" or self.levels.group == "cost"


@dataclass
class ProjectFacts:
    index: int
    project: Project
    indicators: list[IndicatorFacts]

    @property
    def name(self) -> str:
        return self.project.name

    @cached_property
    def name_bigrams(self) -> frozenset[str]:
        return bigrams(self.project.name)

    @cached_property
    def goal_bigrams(self) -> frozenset[str]:
        return bigrams(self.project.goal or "")


def project_facts(project: Project, index: int, ctx: RuleContext) -> ProjectFacts:
    indicators = [
        IndicatorFacts(
            i, ind, normalize_name(ind.name), ctx.resolve(ind.level1, ind.level2), _targets(ind)
        )
        for i, ind in enumerate(project.indicators)
    ]
    return ProjectFacts(index, project, indicators)
