"""Suggestion quality: for a held-out project's indicator, the right entry is among the top 5
suggestions for its first two characters and its level-2 category.

Generated corpus: leave one department out (its projects leave the library, its indicators are
typed). Bundled sample (one department): leave one project out. Only indicators whose entry
exists without the held-out part can be found; the share of those is reported as coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factories import create_org, create_project, make_project
from jixiao.db.models import LibraryEntry, Project
from jixiao.domain.enums import OrgKind, ProjectStatus
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.library import category_key, name_key
from jixiao.domain.project import Project as DomainProject
from jixiao.domain.target import parse_target
from jixiao.ingest import read_document
from jixiao.scoring.classify import level2_key
from jixiao.services.library import refresh_project, suggest
from jixiao.services.principal import SYSTEM
from library_corpus import generate

TOP = 5


@dataclass
class Score:
    found: int = 0
    answerable: int = 0
    typed: int = 0

    @property
    def rate(self) -> float:
        return self.found / self.answerable

    def __str__(self) -> str:
        return (
            f"top-{TOP} {self.found}/{self.answerable} = {self.rate:.1%} "
            f"(coverage {self.answerable}/{self.typed})"
        )


def _set_status(session: Session, ids: list[int], status: ProjectStatus) -> None:
    session.execute(update(Project).where(Project.id.in_(ids)).values(status=status))
    for pid in ids:
        refresh_project(session, pid)


def _entry_keys(session: Session) -> set[tuple[str, str]]:
    rows = session.execute(select(LibraryEntry.name_key, LibraryEntry.level2_key))
    return {(key, level2) for key, level2 in rows}


def _held_out(session: Session, ids: list[int], indicators: list[Indicator], score: Score) -> None:
    _set_status(session, ids, ProjectStatus.DRAFT)
    present = _entry_keys(session)
    for ind in indicators:
        level2 = ind.level2.name if ind.level2 else None
        key = (name_key(ind.name), category_key(level2_key(ind.level2)))
        score.typed += 1
        if key not in present:
            continue
        score.answerable += 1
        got = suggest(session, SYSTEM, "".join(ind.name.split())[:2], level2, TOP)
        rows = session.execute(
            select(LibraryEntry.name_key, LibraryEntry.level2_key).where(
                LibraryEntry.id.in_([s.id for s in got])
            )
        )
        score.found += key in {(k, level2) for k, level2 in rows}
    _set_status(session, ids, ProjectStatus.APPROVED)


def _store(session: Session, org_name: str, projects: list[DomainProject]) -> list[int]:
    org = create_org(session, name=org_name, kind=OrgKind.DEPARTMENT)
    ids = []
    for domain in projects:
        row = create_project(session, org=org, status=ProjectStatus.APPROVED, domain=domain)
        refresh_project(session, row.id)
        ids.append(row.id)
    return ids


def test_leave_one_department_out_on_a_generated_corpus(session: Session) -> None:
    by_department: dict[str, list[DomainProject]] = {}
    for p in generate(departments_per_sector=2):
        inds = [
            Indicator(
                name=i.name,
                level1=LevelRef(None, i.level1),
                level2=LevelRef(None, i.level2),
                annual=parse_target(i.target),
                period=parse_target(i.target),
            )
            for i in p.indicators
        ]
        domain = make_project(name=p.name, indicators=inds)
        by_department.setdefault(p.department, []).append(domain)
    stored = {d: _store(session, d, projects) for d, projects in by_department.items()}
    score = Score()
    for department, ids in stored.items():
        indicators = [i for p in by_department[department] for i in p.indicators]
        _held_out(session, ids, indicators, score)
    print(f"generated corpus, leave one department out: {score}")
    assert score.answerable > 500
    assert score.rate >= 0.8, str(score)


def test_leave_one_project_out_on_the_bundled_sample(session: Session, sample_path: Path) -> None:
    document = read_document(sample_path)
    ids = _store(session, "白云区市场监督管理局", document.projects)
    score = Score()
    for pid, domain in zip(ids, document.projects, strict=True):
        _held_out(session, [pid], domain.indicators, score)
    print(f"bundled sample, leave one project out: {score}")
    assert score.answerable > 20
    assert score.rate >= 0.8, str(score)
