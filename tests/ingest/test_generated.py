"""Random documents rendered with each OCR noise class must parse back to what was rendered."""

from __future__ import annotations

import pytest
from generator import Noise, Rendered, document_view, rendered, unreported
from hypothesis import HealthCheck, given, settings

from jixiao.ingest import read_bytes

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_parses_back(case: Rendered) -> None:
    """Same data as rendered; each project's source lines are the lines it was rendered on,
    and every repair the rendering calls for is reported."""
    parsed = read_bytes(case.data, "x.txt")
    assert document_view(parsed) == document_view(case.document), case.text
    for where, project in zip(case.projects, parsed.projects, strict=True):
        assert list(project.source.lines) == where.lines, (project.name, case.text)
        assert unreported(where, project) == [], (project.name, project.repairs, case.text)


@FAST
@given(rendered())
def test_clean_rendering(case: Rendered) -> None:
    assert_parses_back(case)
    parsed = read_bytes(case.data, "x.txt")
    assert [(p.repairs, p.warnings) for p in parsed.projects] == [([], [])] * len(parsed.projects)
    assert parsed.warnings == []


@pytest.mark.parametrize("noise", list(Noise))
def test_each_noise_class(noise: Noise) -> None:
    @FAST
    @given(rendered(frozenset({noise})))
    def check(case: Rendered) -> None:
        assert_parses_back(case)

    check()


@settings(FAST, max_examples=50)
@given(rendered(frozenset(Noise)))
def test_all_noise_classes_combined(case: Rendered) -> None:
    assert_parses_back(case)
