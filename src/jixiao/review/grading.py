"""Quality grades (优/良/中/差, 88号 arts. 25–29) computed from the findings.

The formula (``FORMULA`` below is its Chinese text in docs/rules.md), repeated in every
explanation: a project starts at 100 points; each finding deducts by severity, one rule counting
at most ``rule_cap`` times; the score is banded 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60; and the most
severe finding caps the grade, because the grades are review outcomes: 优 goes to the next budget
step unchanged (only 提示 allowed), 良 is fixed by agreement (警告), 中 must be revised and
resubmitted by the unit (错误). The document's score is the mean of its projects' scores, banded
the same way and capped by its worst project (中 with any error, 良 when any project is below 优).
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
- 分档：优 ≥ 90分，良 ≥ 80分，中 ≥ 60分，差 < 60分。
- 最严重的发现决定等级上限（88号第25–29条的审核结果）：优可不经修改直接进入下一预算环节，
  只允许有“提示”；有“警告”的最高为良（审核方与单位商定修改）；有“错误”的最高为中
  （单位须修改后重新报送）。
- 文档得分为各项目得分的平均数（四舍五入取整），按同一分档评级，并受最差项目的上限约束：
  有项目存在错误时最高为中，有项目未达优时最高为良。
- 每个等级都附有扣分明细，如“100分起扣：JX005错误×1扣20分；JX006警告×3，计2条扣10分；
  得70分，等级中。”
"""

BANDS = ((90, Grade.EXCELLENT), (80, Grade.GOOD), (60, Grade.FAIR), (0, Grade.POOR))
_ORDER = [g for _, g in BANDS]
CAP = {Severity.INFO: Grade.EXCELLENT, Severity.WARNING: Grade.GOOD, Severity.ERROR: Grade.FAIR}
_CAP_REASON = {Severity.WARNING: "有警告的项目最高为良", Severity.ERROR: "有错误的项目最高为中"}


def band(score: int, cap: Grade = Grade.EXCELLENT) -> Grade:
    """The grade of ``score``, no better than ``cap``."""
    grade = next(g for floor, g in BANDS if score >= floor)
    return max(grade, cap, key=_ORDER.index)


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
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.INFO)
    grade = band(score, CAP[worst])
    explanation = _explain(score, grade, steps, worst)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return ProjectGrade(name, index, grade, score, explanation, errors)


def _explain(score: int, grade: Grade, steps: list[str], worst: Severity) -> str:
    if not steps:
        return "未发现问题：100分，等级优。"
    text = f"100分起扣：{'；'.join(steps)}；得{score}分，等级{grade.label}"
    if grade is not band(score):
        text += f"（{_CAP_REASON[worst]}）"
    return text + "。"


def grade_projects(
    projects: Sequence[Project], findings: Sequence[Finding], profile: ReviewProfile
) -> list[ProjectGrade]:
    per_project: dict[int, list[Finding]] = {i: [] for i in range(len(projects))}
    for f in findings:
        per_project.setdefault(f.project_index, []).append(f)
    return [grade_project(p.name, i, per_project[i], profile) for i, p in enumerate(projects)]


def grade_document(grades: Sequence[ProjectGrade]) -> DocumentGrade:
    """Mean project score, banded, and capped like a project by the worst project's cap."""
    if not grades:
        return DocumentGrade(Grade.POOR, 0, "文档中没有项目，无法评级。")
    total = sum(g.score for g in grades)
    mean = int((Decimal(total) / len(grades)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    cap = max((_cap_of(g) for g in grades), key=_ORDER.index)
    grade = band(mean, cap)
    tally = Counter(g.grade for g in grades)
    spread = "、".join(f"{g.label}{tally[g]}个" for _, g in BANDS if tally[g])
    text = f"{len(grades)}个项目平均{mean}分（{spread}），等级{grade.label}"
    if grade is not band(mean):
        text += f"（有项目等级受限，文档最高为{cap.label}）"
    return DocumentGrade(grade, mean, text + "。")


def _cap_of(grade: ProjectGrade) -> Grade:
    """The cap a project's findings put on its grade: 中 with errors, 良 below 优."""
    if grade.errors:
        return Grade.FAIR
    return Grade.EXCELLENT if grade.grade is Grade.EXCELLENT else Grade.GOOD
