"""The rule catalogue as Markdown (docs/rules.md is generated from this; never hand-edited)."""

from __future__ import annotations

import inspect

from jixiao.review import grading
from jixiao.review.profile import ReviewProfile, load_profile
from jixiao.review.registry import RuleSpec, all_rules

HEADER = """# 审核规则目录（jixiao review）

本文件由 `python scripts/gen_rules_doc.py` 根据规则注册表生成，请勿手工修改；
测试会在本文件与注册表不一致时失败。

严重程度为全国默认配置（`national`）下的取值；地方配置可以改变严重程度、停用规则、调整阈值。
规则编号固定不变，不会重复使用。
"""


def _summary_table(rules: tuple[RuleSpec, ...]) -> list[str]:
    lines = ["| 编号 | 名称 | 严重程度 | 审核维度 | 范围 |", "|---|---|---|---|---|"]
    for r in rules:
        lines.append(
            f"| [{r.id}](#{r.id.lower()}) | {r.title} | {r.severity.label} | "
            f"{r.dimension.label} | {r.scope.label} |"
        )
    return lines


def _rule_section(r: RuleSpec) -> list[str]:
    doc = inspect.cleandoc(r.doc)
    return [
        f"## {r.id}",
        "",
        f"**{r.title}** — {r.severity.label}，{r.dimension.label}，{r.scope.label}",
        "",
        doc,
        "",
        f"- 依据：{r.rationale}",
        f"- 修改建议：{r.suggestion}",
        "",
    ]


def _grading_section() -> list[str]:
    profile = load_profile()
    penalties = "、".join(f"{s.label}{p}分" for s, p in profile.grade_penalties.items())
    return [
        "## 质量等级",
        "",
        "质量等级（优/良/中/差）由发现按固定公式算出，结果可复现、可解释：",
        "",
        grading.FORMULA.rstrip(),
        "",
        f"全国默认配置扣分：{penalties}；同一规则每个项目最多计{profile.rule_cap}条。",
        "",
    ]


def _profiles_section() -> list[str]:
    national, guangzhou = load_profile("national"), load_profile("guangzhou")
    lines = [
        "## 审核配置",
        "",
        "参数放在 TOML 审核配置中（`src/jixiao/review/profiles/`），`--profile` 选择内置配置或"
        '文件路径；地方配置用 `extends = "national"` 继承全国默认配置，只写改动的键。',
        "",
        "| 参数 | national | guangzhou |",
        "|---|---|---|",
        f"| 指标体系 | {national.framework} | {guangzhou.framework} |",
        f"| 必设一级指标 | {'、'.join(national.required_level1)} | "
        f"{'、'.join(guangzhou.required_level1)} |",
        f"| 必设二级指标 | {'、'.join(national.required_level2)} | "
        f"{'、'.join(guangzhou.required_level2)} |",
    ]
    lines.append(f"| 提交前须处理 | {_severities(national)} | {_severities(guangzhou)} |")
    for name, value in vars(national.thresholds).items():
        lines.append(f"| {name} | {value} | {getattr(guangzhou.thresholds, name)} |")
    for profile in (national, guangzhou):
        changed = "、".join(f"{k}→{v.label}" for k, v in profile.severity_overrides.items())
        lines.append(f"| 严重程度调整（{profile.name}） | {changed or '无'} | |")
    lines += ["", "词表（可衡量名称、套话、越低越好、投入类等）见 `national.toml` 中的注释。", ""]
    return lines


def _severities(profile: ReviewProfile) -> str:
    chosen = sorted(profile.block_submit, key=lambda s: -s.rank)
    return "、".join(s.label for s in chosen) or "不拦截"


def render_markdown() -> str:
    rules = all_rules()
    lines = [HEADER, f"共 {len(rules)} 条规则。", "", *_summary_table(rules), ""]
    lines += _grading_section()
    lines += _profiles_section()
    for r in rules:
        lines += _rule_section(r)
    return "\n".join(lines).rstrip() + "\n"
