"""Quality grades (优/良/中/差, 88号 arts. 25–29) computed from the findings.

The formula, documented in docs/rules.md and repeated in every explanation:

- A project starts at 100 points. Each finding deducts by severity (profile ``[grading]``:
  错误 20, 警告 5, 提示 1 by default); one rule counts at most ``rule_cap`` times per project,
  so one repeated slip does not sink a project on its own.
- Grade bands: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60. A project with any 错误 is at best 良,
  because 优 means it can go to the next budget step unchanged.
- The document's score is the mean of its projects' scores (rounded half up), graded by the
  same bands, and 优 only when no project has an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from jixiao.domain.enums import Grade, Severity
from jixiao.domain.project import Project
from jixiao.review.findings import DocumentGrade, Finding, ProjectGrade
from jixiao.review.profile import ReviewProfile

FORMULA = """\
- 每个项目从100分起算，每条发现按严重程度扣分（审核配置 `[grading]`，默认错误20分、警告5分、
  提示1分）；同一规则在一个项目内最多计 `rule_cap` 条（默认2条），避免一处反复出现的问题
  单独拖垮一个项目。
- 等级：优 ≥ 90分，良 ≥ 80分，中 ≥ 60分，差 < 60分。有“错误”的项目最高为良——优意味着
  可以不经修改直接进入下一预算环节（88号第25–29条）。
- 文档得分为各项目得分的平均数（四舍五入取整），按同一分档评级；有项目存在错误时最高为良。
- 每个等级都附有扣分明细，如“100分起扣：JX005错误×1扣20分；JX006警告×3，计2条扣10分；
  得70分，等级中。”
"""

BANDS = ((90, Grade.EXCELLENT), (80, Grade.GOOD), (60, Grade.FAIR), (0, Grade.POOR))


def band(score: int, has_error: bool) -> Grade:
    grade = next(g for floor, g in BANDS if score >= floor)
    if has_error and grade is Grade.EXCELLENT:
        return Grade.GOOD
    return grade


def grade_project(
    name: str, index: int, findings: Sequence[Finding], profile: ReviewProfile
) -> ProjectGrade:
    counts = Counter((f.rule, f.severity) for f in findings)
    score = 100
    steps: list[str] = []
    for (rule, severity), n in sorted(counts.items(), key=lambda kv: (-kv[0][1].rank, kv[0][0])):
        counted = min(n, profile.rule_cap)
        points = counted * profile.grade_penalties[severity]
        score -= points
        capped = f"，计{counted}条" if counted < n else ""
        steps.append(f"{rule}{severity.label}×{n}{capped}扣{points}分")
    score = max(score, 0)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    grade = band(score, errors > 0)
    explanation = _explain(score, grade, steps, errors > 0)
    return ProjectGrade(name, index, grade, score, explanation, errors)


def _explain(score: int, grade: Grade, steps: list[str], has_error: bool) -> str:
    if not steps:
        return "未发现问题：100分，等级优。"
    text = f"100分起扣：{'；'.join(steps)}；得{score}分，等级{grade.label}"
    if has_error and score >= 90:
        text += "（有错误的项目最高为良）"
    return text + "。"


def grade_projects(
    projects: Sequence[Project], findings: Sequence[Finding], profile: ReviewProfile
) -> list[ProjectGrade]:
    per_project: dict[int, list[Finding]] = {i: [] for i in range(len(projects))}
    for f in findings:
        per_project.setdefault(f.project_index, []).append(f)
    return [grade_project(p.name, i, per_project[i], profile) for i, p in enumerate(projects)]


def grade_document(grades: Sequence[ProjectGrade]) -> DocumentGrade:
    if not grades:
        return DocumentGrade(Grade.POOR, 0, "文档中没有项目，无法评级。")
    total = sum(g.score for g in grades)
    mean = int((Decimal(total) / len(grades)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    has_error = any(g.errors for g in grades)
    grade = band(mean, has_error)
    tally = Counter(g.grade for g in grades)
    spread = "、".join(f"{g.label}{tally[g]}个" for _, g in BANDS if tally[g])
    text = f"{len(grades)}个项目平均{mean}分（{spread}），等级{grade.label}"
    if has_error and mean >= 90:
        text += "（有项目存在错误，最高为良）"
    return DocumentGrade(grade, mean, text + "。")
