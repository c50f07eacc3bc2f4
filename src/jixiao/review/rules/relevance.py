"""Rules on relevance: boilerplate across projects, inputs as outputs, satisfaction targets."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from jixiao.domain.enums import ReviewDimension, Severity, TargetKind
from jixiao.domain.numbers import plain as fmt
from jixiao.domain.target import TargetValue
from jixiao.review.context import IndicatorFacts, ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import is_satisfaction, name_of
from jixiao.review.text import compact, contains_any, similarity

_CANONICAL: dict[tuple[str, TargetKind, str | None], str] = {}


def value_key(ind: IndicatorFacts) -> str:
    """The comparable target of an indicator: ``≥95%`` whether written 95%以上, ≥95% or 达≥95%."""
    tv = ind.indicator.annual or ind.indicator.period
    if tv is None:
        return ""
    key = (tv.raw, tv.kind, tv.unit)
    found = _CANONICAL.get(key)
    if found is None:
        if len(_CANONICAL) > 100_000:
            _CANONICAL.clear()
        found = _CANONICAL[key] = canonical(tv)
    return found


def canonical(tv: TargetValue) -> str:
    if tv.kind is TargetKind.QUANTITATIVE and tv.value is not None:
        op = "" if tv.op is None else tv.op.label
        return f"{op}{fmt(tv.value)}{tv.unit or ''}"
    return tv.format() if tv.kind is TargetKind.DEADLINE else compact(tv.raw)


def _related(a: ProjectFacts, b: ProjectFacts, ctx: RuleContext) -> bool:
    stop = frozenset(ctx.words.goal_stopwords)
    floor = float(ctx.profile.thresholds.related_similarity)
    if similarity(a.name_bigrams - stop, b.name_bigrams - stop) >= floor:
        return True
    return similarity(a.goal_bigrams - stop, b.goal_bigrams - stop) >= floor


def _unrelated_families(members: Sequence[ProjectFacts], ctx: RuleContext, enough: int) -> int:
    """How many mutually unrelated groups the projects fall into (counting stops at ``enough``)."""
    heads: list[ProjectFacts] = []
    for pf in members:
        if not any(_related(pf, head, ctx) for head in heads):
            heads.append(pf)
            if len(heads) >= enough:
                break
    return len(heads)


def _boilerplate(projects: Sequence[ProjectFacts], ctx: RuleContext) -> Iterator[Hit]:
    groups: dict[tuple[str, str], list[tuple[ProjectFacts, IndicatorFacts]]] = {}
    for pf in projects:
        for ind in pf.indicators:
            members = groups.setdefault((ind.name, value_key(ind)), [])
            if not members or members[-1][0] is not pf:
                members.append((pf, ind))
    minimum = ctx.profile.thresholds.boilerplate_min_projects
    for (_, value), members in groups.items():
        if len(members) < minimum:
            continue
        if _unrelated_families([pf for pf, _ in members], ctx, minimum) < minimum:
            continue
        sample = [pf.name for pf, _ in members[:4]]
        for pf, ind in members:
            others = [n for n in sample if n != pf.name][:3]
            yield Hit(
                f"指标“{name_of(ind)}：{value}”原样出现在{len(members)}个内容不同的项目中，"
                "疑似套用模板，未结合本项目设置。",
                {"出现项目数": str(len(members)), "其他项目": "、".join(others)},
                indicator_index=ind.index,
                project_index=pf.index,
            )


def _irrelevant_ecology(projects: Sequence[ProjectFacts], ctx: RuleContext) -> Iterator[Hit]:
    words = ctx.words
    for pf in projects:
        text = compact(pf.name + (pf.project.goal or ""))
        if contains_any(text, words.ecology_project_words):
            continue
        for ind in pf.indicators:
            if ind.levels.kind2 != "ecological" or contains_any(ind.name, words.quality_fact_names):
                continue  # a quality fact filed as a benefit is JX027's finding
            if not contains_any(ind.name, words.ecology_indicator_words):
                yield Hit(
                    f"项目名称和目标都不涉及生态环境，生态效益指标“{name_of(ind)}”"
                    "与本项目无关或分类有误。",
                    {"项目": pf.name, "指标": name_of(ind)},
                    indicator_index=ind.index,
                    project_index=pf.index,
                )


@rule(
    id="JX013",
    title="套用模板或与项目无关的指标",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.DOCUMENT,
    rationale=(
        "指标应与项目内容和部门职责相关，不能从无关项目复制（88号“目标相关性”；rules.md R9、P1）。"
    ),
    suggestion="按本项目的产出和效果重新设置指标；与项目无关的指标删除。",
)
def boilerplate_or_irrelevant(projects: Sequence[ProjectFacts], ctx: RuleContext) -> Iterator[Hit]:
    """同一指标（名称和值）原样出现在多个互不相关的项目中，或生态效益指标与项目内容无关。

    反例：“用户友好性：≥95%”同时出现在视频会议设备采购、电梯监测、防疫视频分析等项目中；
    工资项目设“完成工作任务造成环境污染天数：0天”。
    正例：同类的工资项目共用“工资按时发放率：100%”；环保项目设“污水处理量：≥5万吨”。
    """
    yield from _boilerplate(projects, ctx)
    yield from _irrelevant_ecology(projects, ctx)


@rule(
    id="JX018",
    title="把投入当作产出",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="资金、人力、物力等投入不能作为绩效目标或产出指标（rules.md W1、P10）。",
    suggestion="改写为资金所形成的产品或服务，如“补助农贸市场数量”“完成改造面积”。",
)
def input_as_output(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """产出指标衡量的是资金投入、拨付或预算执行。

    反例：“1-产出指标，13-时效指标，项目年度支出预算执行率：≥80%”。
    正例：“1-产出指标，11-数量指标，完成升级改造的农贸市场数量：≥5个”。
    """
    if ind.levels.group != "output":
        return None
    keyword = contains_any(ind.name, ctx.words.input_names)
    if keyword:
        return Hit(
            f"“{name_of(ind)}”（含“{keyword}”）衡量的是资金投入或使用，不是项目产出。",
            {"关键词": keyword},
        )
    return None


@rule(
    id="JX029",
    title="满意度未说明调查对象",
    severity=Severity.INFO,
    dimension=ReviewDimension.FEASIBILITY,
    scope=Scope.INDICATOR,
    rationale="满意度须有明确的调查对象才能取得数据（rules.md R11、P6）。",
    suggestion="写明调查对象，如“办事群众满意度”“参训企业满意度”。",
)
def satisfaction_without_object(
    ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext
) -> Hit | None:
    """满意度指标名称只是“满意度”“服务对象满意度”，没有说明谁的满意度。

    反例：“31-服务对象满意度，服务对象满意度(%)：≥95%”。
    正例：“31-服务对象满意度，视频会议使用部门满意度：≥90%”。
    """
    if is_satisfaction(ind, ctx) and ind.name in ctx.words.generic_satisfaction_names:
        return Hit(
            f"满意度指标“{name_of(ind)}”没有说明调查对象，无法开展调查取数。",
            {"指标名称": ind.indicator.name},
        )
    return None


@rule(
    id="JX032",
    title="所有项目满意度目标完全相同",
    severity=Severity.INFO,
    dimension=ReviewDimension.APPROPRIATENESS,
    scope=Scope.DOCUMENT,
    rationale="满意度目标应依据各项目服务对象的实际情况设定，全部相同说明没有测算（rules.md P6）。",
    suggestion="按各项目以往的满意度调查结果分别设定目标。",
)
def uniform_satisfaction(projects: Sequence[ProjectFacts], ctx: RuleContext) -> Iterator[Hit]:
    """部门内每个设有满意度的项目，满意度目标都一模一样（项目数不少于配置值）。

    反例：全部8个项目都是“服务对象满意度：≥95%”。
    正例：各项目按调查基数分别为“≥90%”“≥85%”“≥92%”。
    """
    found: list[tuple[ProjectFacts, IndicatorFacts, str]] = []
    for pf in projects:
        ind = next((i for i in pf.indicators if is_satisfaction(i, ctx) and value_key(i)), None)
        if ind is not None:
            found.append((pf, ind, value_key(ind)))
    if len(found) < ctx.profile.thresholds.uniform_satisfaction_min_projects:
        return
    if len({key for _, _, key in found}) != 1:
        return
    for pf, ind, key in found:
        yield Hit(
            f"全部{len(found)}个设有满意度的项目，满意度目标都是“{key}”，没有按项目测算。",
            {"满意度目标": key, "项目数": str(len(found))},
            indicator_index=ind.index,
            project_index=pf.index,
        )
