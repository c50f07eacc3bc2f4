"""The review engine: runs the enabled rules of a profile over a document or one project."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.framework import Framework, load_framework
from jixiao.domain.project import Project
from jixiao.review.context import IndicatorFacts, ProjectFacts, RuleContext, project_facts
from jixiao.review.evidence import Benchmarks
from jixiao.review.findings import Finding, Hit, ReviewReport
from jixiao.review.grading import grade_document, grade_projects
from jixiao.review.profile import ReviewProfile, load_profile
from jixiao.review.registry import RuleSpec, Scope, all_rules


@dataclass(frozen=True)
class ReviewContext:
    """Document facts for reviewing a single project on its own (e.g. while it is edited).

    ``siblings`` are the other projects of the same department, so that the cross-project rules
    (boilerplate) can also run; leave it empty to skip them. ``benchmarks`` are keyed by
    (``project_index``, indicator index).
    """

    unit: MoneyUnit | None = None
    year: int | None = None
    siblings: Sequence[Project] = ()
    project_index: int = 0
    benchmarks: Benchmarks = field(default_factory=dict)


@dataclass(frozen=True)
class _ActiveRules:
    indicator: tuple[RuleSpec, ...]
    project: tuple[RuleSpec, ...]
    document: tuple[RuleSpec, ...]


def _active(profile: ReviewProfile) -> _ActiveRules:
    enabled = [r for r in all_rules() if r.id not in profile.disabled]
    return _ActiveRules(
        tuple(r for r in enabled if r.scope is Scope.INDICATOR),
        tuple(r for r in enabled if r.scope is Scope.PROJECT),
        tuple(r for r in enabled if r.scope is Scope.DOCUMENT),
    )


def review_document(
    doc: Document, profile: ReviewProfile | None = None, benchmarks: Benchmarks | None = None
) -> ReviewReport:
    """Review every project of ``doc``; findings come in document order.

    ``benchmarks`` (keyed by project and indicator index) feed the rules that compare a target
    with last year's result or the peers'.
    """
    profile = profile or load_profile()
    framework = load_framework(profile.framework)
    ctx = RuleContext(profile, framework, doc.unit, doc.year, benchmarks or {})
    rules = _active(profile)
    facts = [project_facts(p, i, ctx) for i, p in enumerate(doc.projects)]
    findings: list[Finding] = []
    for pf in facts:
        findings.extend(_project_findings(pf, ctx, rules))
    findings.extend(_document_findings(facts, ctx, rules))
    findings.sort(key=_order)
    grades = grade_projects(doc.projects, findings, profile)
    return ReviewReport(findings, grades, grade_document(grades), profile.name)


def review_project(
    project: Project,
    profile: ReviewProfile | None = None,
    framework: Framework | None = None,
    context: ReviewContext | None = None,
) -> list[Finding]:
    """Review one project (fast enough to run on every keystroke of an edit form)."""
    profile = profile or load_profile()
    context = context or ReviewContext()
    framework = framework or load_framework(profile.framework)
    ctx = RuleContext(profile, framework, context.unit, context.year, context.benchmarks)
    rules = _active(profile)
    pf = project_facts(project, context.project_index, ctx)
    findings = list(_project_findings(pf, ctx, rules))
    if context.siblings and rules.document:
        others = [project_facts(p, -1 - i, ctx) for i, p in enumerate(context.siblings)]
        found = _document_findings([pf, *others], ctx, rules)
        findings.extend(f for f in found if f.project_index == pf.index)
    findings.sort(key=_order)
    return findings


def _project_findings(pf: ProjectFacts, ctx: RuleContext, rules: _ActiveRules) -> Iterable[Finding]:
    for spec in rules.indicator:
        check: Callable[[IndicatorFacts, ProjectFacts, RuleContext], Hit | None] = spec.function
        for ind in pf.indicators:
            hit = check(ind, pf, ctx)
            if hit is not None:
                yield _finding(spec, hit, pf, ind.index, ctx.profile)
    for spec in rules.project:
        hits: Iterable[Hit] = spec.function(pf, ctx)
        for hit in hits:
            yield _finding(spec, hit, pf, hit.indicator_index, ctx.profile)


def _document_findings(
    facts: list[ProjectFacts], ctx: RuleContext, rules: _ActiveRules
) -> Iterable[Finding]:
    by_index = {pf.index: pf for pf in facts}
    for spec in rules.document:
        found: Iterable[Hit] = spec.function(facts, ctx)
        for hit in found:
            pf = by_index[hit.project_index if hit.project_index is not None else facts[0].index]
            yield _finding(spec, hit, pf, hit.indicator_index, ctx.profile)


def _finding(
    spec: RuleSpec, hit: Hit, pf: ProjectFacts, indicator_index: int | None, profile: ReviewProfile
) -> Finding:
    indicator = None if indicator_index is None else pf.project.indicators[indicator_index].name
    return Finding(
        rule=spec.id,
        severity=profile.severity_for(spec.id, spec.severity),
        project=pf.project.name,
        project_index=pf.index,
        indicator=indicator,
        indicator_index=indicator_index,
        message=hit.message,
        evidence=hit.evidence,
        suggestion=spec.suggestion,
        title=spec.title,
    )


def _order(f: Finding) -> tuple[int, int, str]:
    """Document order: by project, project-level findings first, then by indicator and rule."""
    return (f.project_index, -1 if f.indicator_index is None else f.indicator_index, f.rule)
