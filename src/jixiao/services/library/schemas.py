"""Shapes of the indicator library (指标库) for the API, the pages and other services.

Numbers are exact Decimals (text in JSON). A met rate is a percentage of the self-evaluated
occurrences; None when none was evaluated.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from jixiao.domain.enums import Direction, Operator
from jixiao.services.types import DbId, Version

MAX_SECTORS = 20
MAX_CURATED_TEXT = 2000


class MetRate(BaseModel):
    met: int = Field(description="自评达成的次数")
    evaluated: int = Field(description="有自评实际值的次数")
    rate: Decimal | None = Field(description="达成率（%），无自评时为空")


class LibrarySuggestion(BaseModel):
    """One entry offered while an indicator name is typed."""

    id: int
    name: str
    level1_name: str | None
    level2_name: str | None
    unit: str | None
    op: Operator | None
    direction: Direction
    explanation: str | None
    typical: Decimal | None = Field(description="同类目标中位数（单位 unit）")
    typical_text: str | None = Field(description="如 ≥95%")
    met_rate: Decimal | None
    count: int
    recommended: bool


class Wording(BaseModel):
    text: str
    count: int


class UnitCount(BaseModel):
    unit: str | None
    count: int


class PeerExample(BaseModel):
    """An occurrence the user may read (their own organisations' projects)."""

    project_id: int
    project_name: str
    org_name: str
    year: int
    raw: str


class PeerStats(BaseModel):
    """Peers' targets of one entry (or name) in one unit; aggregates only."""

    entry_id: int | None
    name: str
    unit: str | None
    direction: Direction
    count: int = Field(description="全部出现次数（各单位、定性一并计）")
    numeric_count: int = Field(description="该计量单位下的定量目标个数")
    median: Decimal | None
    p25: Decimal | None
    p75: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    other_units: list[UnitCount] = Field(description="其他计量单位的定量目标（不并入统计）")
    wordings: list[Wording] = Field(description="定性指标值的常见写法")
    met: MetRate
    examples: list[PeerExample] = Field(description="本人有权查看的项目")
    values: list[Decimal] = Field(default_factory=list, exclude=True)


class EntrySummary(BaseModel):
    id: int
    name: str
    level1_name: str | None
    level2_name: str | None
    unit: str | None
    op: Operator | None
    direction: Direction
    count: int
    recommended: bool
    sectors: list[str]
    explanation: str | None


class EntryDetail(EntrySummary):
    basis: str | None
    scoring: str | None
    reference_value: str | None
    curated_at: datetime | None
    version: int
    peers: PeerStats
    may_curate: bool


class Curation(BaseModel):
    """Curated fields a 管理员 or 财政审核 sets; ``version`` must be the stored one."""

    version: Version
    recommended: bool = False
    sectors: list[str] = Field(default_factory=list, max_length=MAX_SECTORS)
    explanation: str | None = Field(None, max_length=MAX_CURATED_TEXT)
    basis: str | None = Field(None, max_length=MAX_CURATED_TEXT)
    scoring: str | None = Field(None, max_length=MAX_CURATED_TEXT)
    reference_value: str | None = Field(None, max_length=200)


class LibraryFilters(BaseModel):
    q: str | None = Field(None, max_length=100)
    level2: str | None = Field(None, max_length=100)
    sector: str | None = Field(None, max_length=50)
    unit: str | None = Field(None, max_length=50)
    department_id: DbId | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    recommended: bool | None = None


class DepartmentEase(BaseModel):
    """Per department: quantitative targets compared with their peers' median."""

    department_id: int
    department_name: str
    compared: int = Field(description="有足够同类目标可比的定量目标数")
    below_median: int = Field(description="低于同类中位数的目标数")
    easier_than_median: int = Field(description="比同类中位数宽松的目标数（反向指标为高于）")


class FieldChange(BaseModel):
    field: str
    label: str = Field(description="字段名称，如 指标解释")
    before: str
    after: str


class BookChange(BaseModel):
    """One row of an imported library workbook that adds an entry or changes one."""

    where: str = Field(description="所在行，如 第5行")
    level2: str
    name: str
    entry_id: int | None = Field(description="已有条目的编号；新增条目为空")
    changes: list[FieldChange]


class BookPreview(BaseModel):
    """What importing a library workbook would do; ``token`` confirms exactly this."""

    sha256: str
    filename: str
    token: str = Field(description="确认导入时原样提交；指标库在预览后有变动则确认被拒绝（409）")
    rows: int = Field(description="读到的指标行数")
    new: list[BookChange]
    updated: list[BookChange]
    unchanged: int
    refused: list[str] = Field(description="无法导入的行及原因，每行一句；有此类行时不能确认")
    may_confirm: bool = Field(description="没有被拒绝的行，且有新增或修改")


class BookResult(BaseModel):
    created: int
    updated: int
    unchanged: int
