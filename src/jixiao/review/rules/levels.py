"""Rules on indicator categories: level pairs, unknown levels, misfiled indicators."""

from __future__ import annotations

from jixiao.domain.enums import ReviewDimension, Severity
from jixiao.domain.framework import Category
from jixiao.domain.indicator import LevelRef
from jixiao.review.context import IndicatorFacts, ProjectFacts, RuleContext
from jixiao.review.findings import Hit
from jixiao.review.registry import Scope, rule
from jixiao.review.rules._common import name_of
from jixiao.review.text import compact, contains_any


def _written(ref: LevelRef | None) -> str:
    return ref.format() if ref is not None else "（未填）"


def _levels_evidence(ind: IndicatorFacts) -> dict[str, str]:
    return {"一级指标": _written(ind.indicator.level1), "二级指标": _written(ind.indicator.level2)}


@rule(
    id="JX001",
    title="一级、二级指标不配套",
    severity=Severity.ERROR,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.INDICATOR,
    rationale="二级指标从属于固定的一级指标（88号指标体系；rules.md §2.2），错配说明分类填错。",
    suggestion=(
        "按指标内容选定二级指标，一级指标随之确定（如31-服务对象满意度只属于3-满意度指标）。"
    ),
)
def level_pair_mismatch(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """二级指标不属于所填的一级指标。

    反例：“2-效益指标，31-服务对象满意度，每月考评达标率”。
    正例：“1-产出指标，12-质量指标，每月考评达标率”。
    """
    lv = ind.levels
    if lv.l1 is None or lv.l2 is None or lv.l2_parent is None:
        return None
    if lv.l2_parent.code != lv.l1.code:
        return Hit(
            f"二级指标“{_written(ind.indicator.level2)}”属于“{lv.l2_parent.code}-{lv.l2_parent.name}”，"
            f"不属于所填的一级指标“{_written(ind.indicator.level1)}”。",
            {**_levels_evidence(ind), "应属一级指标": f"{lv.l2_parent.code}-{lv.l2_parent.name}"},
        )
    return None


@rule(
    id="JX002",
    title="指标分类不在指标体系内",
    severity=Severity.ERROR,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.INDICATOR,
    rationale="一级、二级指标是统一分类，须取自现行指标体系的代码表（rules.md §2.1、§2.3）。",
    suggestion="从指标体系中选择一级、二级指标，不要自拟分类名称。",
)
def unknown_level(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """一级或二级指标的编码、名称在所用指标体系中找不到，或未填写。

    反例：“1-产出指标，15-效率指标，办件量”；二级指标空缺。
    正例：“1-产出指标，11-数量指标，办件量”。
    """
    ind_refs = ((1, ind.indicator.level1, ind.levels.l1), (2, ind.indicator.level2, ind.levels.l2))
    for level, ref, found in ind_refs:
        if found is not None:
            continue
        what = "一级指标" if level == 1 else "二级指标"
        if ref is None or not (ref.code or ref.name):
            label = f"“{name_of(ind)}”" if ind.name else f"第{ind.index + 1}条（无名称）"
            message = f"指标{label}没有{what}，无法归类。"
        else:
            message = f"{what}“{ref.format()}”不在“{ctx.framework.name}”中。"
        return Hit(message, {**_levels_evidence(ind), "指标体系": ctx.framework.id})
    return None


def _name_disagrees(ref: LevelRef | None, found: Category | None, ctx: RuleContext) -> bool:
    if ref is None or found is None or not ref.code or not ref.name:
        return False
    if ref.code != found.code or found.matches_name(ref.name):
        return False
    name = compact(ref.name)
    return not found.matches_name(name) and not ctx.framework.same_name(name, found.name)


@rule(
    id="JX019",
    title="指标分类的编码与名称不一致",
    severity=Severity.WARNING,
    dimension=ReviewDimension.COMPLETENESS,
    scope=Scope.INDICATOR,
    rationale="编码与名称须对应同一分类（一体化代码表 PERF_T_FRAME），不一致时无法确定指标归类。",
    suggestion="核对分类：编码与名称取代码表中同一行（如“22-社会效益指标”）。",
)
def code_name_disagree(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """一级或二级指标的编码与名称分属不同分类。

    反例：“1-产出指标，12-社会效益，服务对象覆盖率”。
    正例：“1-产出指标，12-质量指标，服务对象覆盖率”。
    """
    pairs = ((ind.indicator.level1, ind.levels.l1), (ind.indicator.level2, ind.levels.l2))
    for ref, found in pairs:
        if ref is not None and found is not None and _name_disagrees(ref, found, ctx):
            return Hit(
                f"分类“{ref.format()}”的编码{ref.code}对应“{found.name}”，名称却是“{ref.name}”。",
                {"所填分类": ref.format(), "编码对应名称": found.name},
            )
    return None


@rule(
    id="JX017",
    title="满意度指标放错分类",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="满意度只能放在满意度指标下，不能以满意度代替产出或效益（rules.md W7、P4）。",
    suggestion="把满意度指标移到“3-满意度指标/31-服务对象满意度指标”下。",
)
def satisfaction_misplaced(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """名称是满意度，却放在产出或效益类下。

    反例：“2-效益指标，22-社会效益，当地群众食品安全总体满意度”。
    正例：“3-满意度指标，31-服务对象满意度，当地群众食品安全总体满意度”。
    """
    if "满意" not in ind.name or ind.is_satisfaction_category:
        return None
    if ind.levels.l1 is None and ind.levels.l2 is None:
        return None
    return Hit(
        f"满意度指标“{name_of(ind)}”放在了“{_written(ind.indicator.level2)}”下。",
        _levels_evidence(ind),
    )


@rule(
    id="JX027",
    title="效益指标实为质量或产出事实",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "合格率、验收通过率、故障响应等是产出的质量事实，不是效益（rules.md W6、"
        "P4“质量指标与效益指标混淆”）。"
    ),
    suggestion="移到产出指标（质量/数量）下，另设反映项目效果的效益指标。",
)
def quality_as_benefit(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """效益指标下放了合格率、通过率、完成率、故障处理等产出事实。

    反例：“2-效益指标，21-经济效益，完工验收通过率：100%”。
    正例：“1-产出指标，12-质量指标，完工验收通过率：100%”。
    """
    if ind.levels.group != "benefit":
        return None
    keyword = contains_any(ind.name, ctx.words.quality_fact_names)
    if keyword:
        return Hit(
            f"“{name_of(ind)}”（含“{keyword}”）是产出的质量或完成情况，不是效益，"
            f"却放在“{_written(ind.indicator.level2)}”下。",
            {**_levels_evidence(ind), "关键词": keyword},
        )
    return None


@rule(
    id="JX028",
    title="质量指标与时效指标混淆",
    severity=Severity.INFO,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="质量指标反映达到的标准，时效指标反映完成的及时程度（rules.md §2.2、R4）。",
    suggestion="按时、按期、时限类指标放时效指标；合格率、准确率等放质量指标。",
)
def quality_timeliness_confused(
    ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext
) -> Hit | None:
    """质量指标下是按时/按期类指标，或时效指标下是合格率/准确率类指标。

    反例：“12-质量指标，按期完工率”；“13-时效指标，诉讼维持合格率”。
    正例：“13-时效指标，按期完工率”；“12-质量指标，诉讼维持合格率”。
    """
    words = ctx.words
    kind = ind.levels.kind2
    if kind != "quality" and kind != "timeliness":
        return None
    time_word = contains_any(ind.name, words.timeliness_words)
    if kind == "quality" and time_word:
        problem = f"含“{time_word}”，属于时效，却放在质量指标下"
    elif kind == "timeliness" and not time_word:
        quality_word = contains_any(ind.name, ("合格率", "准确率", "正确率", "达标率", "满意度"))
        if not quality_word:
            return None
        problem = f"含“{quality_word}”，属于质量，却放在时效指标下"
    else:
        return None
    return Hit(f"“{name_of(ind)}”{problem}。", _levels_evidence(ind))


@rule(
    id="JX034",
    title="三级指标名称只是分类名",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "三级指标是项目个性化的具体指标，须说明衡量什么（rules.md §2.1）；照抄分类名等于没有指标。"
    ),
    suggestion="写出具体衡量对象，如把“社会效益”改为“食品安全事件发生率”。",
)
def name_is_category(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """三级指标名称与某个一级或二级分类名称相同。

    反例：“22-社会效益，社会效益：显著”；“11-数量指标，数量指标：10个”。
    正例：“22-社会效益，辖区食品安全事件发生率：≤1%”。
    """
    if ind.name in ctx.words.generic_satisfaction_names:
        return None  # reported by JX029 (no survey object)
    found = ctx.category_named(ind.name)
    if found is not None:
        return Hit(
            f"三级指标名称“{name_of(ind)}”就是分类名“{found.name}”，没有说明衡量什么。",
            {"三级指标": ind.indicator.name, "分类": found.name},
        )
    return None


@rule(
    id="JX036",
    title="质量类比率放在数量指标下",
    severity=Severity.INFO,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale="合格率、通过率、准确率等反映质量，不是数量（rules.md P4“数量质量混淆”）。",
    suggestion="移到“12-质量指标”下；数量指标写提供的产品或服务的数量。",
)
def quality_rate_as_quantity(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """数量指标下放了合格率、通过率、识别率等质量类比率。

    反例：“11-数量指标，服务验收通过率：100%”。
    正例：“12-质量指标，服务验收通过率：100%”；“11-数量指标，服务场次：≥12场”。
    """
    if ind.levels.kind2 != "quantity":
        return None
    keyword = contains_any(ind.name, ctx.words.quality_rate_names)
    if keyword:
        return Hit(
            f"“{name_of(ind)}”（含“{keyword}”）衡量的是质量，却放在数量指标下。",
            {**_levels_evidence(ind), "关键词": keyword},
        )
    return None


@rule(
    id="JX037",
    title="满意度分类下不是满意度",
    severity=Severity.WARNING,
    dimension=ReviewDimension.RELEVANCE,
    scope=Scope.INDICATOR,
    rationale=(
        "服务对象满意度指标反映服务对象的认可程度（rules.md §2.2），考评、达标类指标不属于满意度。"
    ),
    suggestion="把该指标移到产出（质量）或效益指标下，满意度分类下填写服务对象满意度。",
)
def not_satisfaction(ind: IndicatorFacts, pf: ProjectFacts, ctx: RuleContext) -> Hit | None:
    """满意度分类下的指标名称与满意、认可、评价无关。

    反例：“31-服务对象满意度，每月考评达标率”。
    正例：“31-服务对象满意度，机关干部职工对物业服务的满意度”。
    """
    if not ind.is_satisfaction_category:
        return None
    if contains_any(ind.name, ctx.words.satisfaction_words):
        return None
    return Hit(
        f"“{name_of(ind)}”放在满意度分类下，但衡量的不是服务对象的满意或认可。",
        _levels_evidence(ind),
    )
