"""Rules on indicator names: one metric per indicator, a short name."""

from __future__ import annotations

import re

from jixiao.domain.enums import ReviewDimension, Severity
from jixiao.review.context import IndicatorFacts, ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import name_of
from jixiao.review.text import compact, strip_words

_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_QUOTES = re.compile(r"[“”\"'‘’《》]")
_JOINERS = re.compile(r"以及|并且|[和及与、,，/；;]")


@rule(
    id="JX020",
    title="一个指标名称含两个度量",
    severity=Severity.INFO,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="每个三级指标只衡量一件事，否则无法给出一个目标值和一个得分（rules.md W2、P12）。",
    suggestion="拆成两条指标，各自设定目标值。",
)
def compound_name(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """名称用“和/及/与/、”连接了两个各自可度量的量（“…比率”“…占比”等单一比值除外）。

    反例：“节省执法人员执法时间及成本”；“不合格报告数、否认生产率”。
    正例：“节省执法人员执法时间”“执法成本”分两条；“申请数和实际刻章数的比率”。
    """
    if not _JOINERS.search(ind.indicator.name):
        return None
    words = ctx.words
    name = _QUOTES.sub("", _BRACKETED.sub("", compact(ind.indicator.name)))
    if name.endswith(words.single_ratio_suffixes):
        return None
    parts = [p for p in _JOINERS.split(name) if len(p) >= 2]
    metrics = [
        p
        for p in parts
        if strip_words(p, words.measurable_name_exclusions).endswith(words.metric_suffixes)
    ]
    if len(metrics) >= 2:
        return Hit(
            f"指标“{name_of(ind)}”同时衡量“{metrics[0]}”和“{metrics[1]}”，一条指标只应衡量一件事。",
            {"度量一": metrics[0], "度量二": metrics[1]},
        )
    return None


@rule(
    id="JX021",
    title="指标名称过长",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "三级指标名称应简明，一体化系统名称上限100字（rules.md W2、P12；上限由审核配置确定）。"
    ),
    suggestion="名称只写衡量对象，说明性文字移到指标解释中。",
)
def overlong_name(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """三级指标名称超过审核配置的字数上限（默认100字）。

    反例：把实施方案整段写进指标名称（超过100字）。
    正例：“知识产权质押融资扶持项目数”。
    """
    limit = ctx.profile.thresholds.max_name_chars
    if len(ind.indicator.name) <= limit:
        return None
    length = len(compact(ind.indicator.name))
    if length > limit:
        return Hit(
            f"指标名称有{length}字，超过{limit}字的上限。",
            {"字数": str(length), "上限": str(limit)},
        )
    return None
