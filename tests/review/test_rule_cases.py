"""Every rule's data-file cases: failing examples must trigger it, passing ones must not."""

from __future__ import annotations

import pytest

from jixiao.review import load_profile, review_document

from .casefiles import Case, all_cases

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: Case) -> None:
    report = review_document(case.document, load_profile(case.profile), case.benchmarks)
    found = [f for f in report.findings if f.rule == case.rule]
    assert len(found) == case.expect, [f.message for f in found]
    for finding in found:
        assert finding.message
        assert finding.suggestion
        assert finding.evidence, "a finding names the values it compared"
    if case.indicators:
        assert [f.indicator for f in found] == case.indicators
