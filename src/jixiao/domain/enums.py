"""Every closed vocabulary of the domain, each value with its Chinese label."""

from __future__ import annotations

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A string enum whose members carry a Chinese label: ``Member = "value", "标签"``."""

    _label: str

    def __new__(cls, value: str, label: str = "") -> LabeledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label or value
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def from_label(cls, label: str) -> LabeledEnum:
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(f"{cls.__name__}: 未知的取值“{label}”")


class MoneyUnit(LabeledEnum):
    WAN_YUAN = "万元", "万元"
    YUAN = "元", "元"


class FundSource(LabeledEnum):
    TOTAL = "total", "总计"
    FISCAL = "fiscal", "财政拨款"
    SPECIAL = "special", "财政专户拨款"
    OTHER = "other", "其他资金"


class TargetKind(LabeledEnum):
    QUANTITATIVE = "quantitative", "定量"
    QUALITATIVE = "qualitative", "定性"
    DEADLINE = "deadline", "时限"


class Operator(LabeledEnum):
    GE = ">=", "≥"
    GT = ">", ">"
    EQ = "=", "="
    LT = "<", "<"
    LE = "<=", "≤"


class Direction(LabeledEnum):
    POSITIVE = "positive", "正向"
    REVERSE = "reverse", "反向"
    NEUTRAL = "neutral", "定性"


class TargetPeriod(LabeledEnum):
    PERIOD = "period", "实施周期指标值"
    ANNUAL = "annual", "年度指标值"


class Severity(LabeledEnum):
    ERROR = "error", "错误"
    WARNING = "warning", "警告"
    INFO = "info", "提示"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class ReviewDimension(LabeledEnum):
    COMPLETENESS = "completeness", "完整性"
    RELEVANCE = "relevance", "相关性"
    APPROPRIATENESS = "appropriateness", "适当性"
    FEASIBILITY = "feasibility", "可行性"


class Grade(LabeledEnum):
    EXCELLENT = "excellent", "优"
    GOOD = "good", "良"
    FAIR = "fair", "中"
    POOR = "poor", "差"


class ProjectStatus(LabeledEnum):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    DEPT_APPROVED = "dept_approved", "部门审核通过"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已批复"
    PUBLISHED = "published", "已公开"


class Role(LabeledEnum):
    ADMIN = "admin", "管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    FINANCE_REVIEWER = "finance_reviewer", "财政审核"
    DEPT_REVIEWER = "dept_reviewer", "部门审核"
    UNIT_EDITOR = "unit_editor", "单位填报"
    VIEWER = "viewer", "只读"


class OrgKind(LabeledEnum):
    FINANCE_BUREAU = "finance_bureau", "财政局"
    DEPARTMENT = "department", "部门"
    UNIT = "unit", "单位"


class CompletionLikelihood(LabeledEnum):
    CERTAIN = "certain", "确定能"
    POSSIBLE = "possible", "有可能"
    IMPOSSIBLE = "impossible", "完全不可能"


class DeviationCause(LabeledEnum):
    FUNDING = "funding", "经费保障"
    INSTITUTION = "institution", "制度保障"
    STAFFING = "staffing", "人员保障"
    HARDWARE = "hardware", "硬件条件保障"
    OTHER = "other", "其他"


class Light(LabeledEnum):
    RED = "red", "红灯"
    YELLOW = "yellow", "黄灯"
    GREEN = "green", "绿灯"
    BLUE = "blue", "蓝灯"


class QualitativeTier(LabeledEnum):
    ACHIEVED = "achieved", "达成预期指标"
    PARTIAL = "partial", "部分达成预期指标并具有一定效果"
    NOT_ACHIEVED = "not_achieved", "未达成预期指标且效果较差"
