"""All ORM models, imported here so that ``Base.metadata`` knows every table."""

from jixiao.db.models.audit import AuditEntry
from jixiao.db.models.dashboard import RollupVersion
from jixiao.db.models.document import ImportedDocument, RepairRow, WarningRow
from jixiao.db.models.indicator import Indicator, TargetValueRow
from jixiao.db.models.library import LibraryEntry, LibraryOccurrence
from jixiao.db.models.monitoring import MonitoringRecord, SelfEvaluationRecord
from jixiao.db.models.org import FiscalYear, Organisation
from jixiao.db.models.project import (
    FundingLine,
    Goal,
    Project,
    ProjectCopy,
    ProjectVersion,
    Transition,
)
from jixiao.db.models.review import FindingRow
from jixiao.db.models.user import ApiToken, LoginThrottle, User, UserSession

__all__ = [
    "ApiToken",
    "AuditEntry",
    "FindingRow",
    "FiscalYear",
    "FundingLine",
    "Goal",
    "ImportedDocument",
    "Indicator",
    "LibraryEntry",
    "LibraryOccurrence",
    "LoginThrottle",
    "MonitoringRecord",
    "Organisation",
    "Project",
    "ProjectCopy",
    "ProjectVersion",
    "RepairRow",
    "RollupVersion",
    "SelfEvaluationRecord",
    "TargetValueRow",
    "Transition",
    "User",
    "UserSession",
    "WarningRow",
]
