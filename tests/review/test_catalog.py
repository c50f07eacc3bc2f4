"""The catalogue is complete: ids, metadata, docstring examples, data-file cases, docs, profiles."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from jixiao.domain.enums import ReviewDimension, Severity
from jixiao.errors import ProfileError
from jixiao.review import all_rules, load_profile
from jixiao.review.catalog import render_markdown
from jixiao.review.registry import RULE_ID, rule

from .casefiles import CASES_DIR, load_cases

RULES = all_rules()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
CONTRACT_IDS = [f"JX{n:03d}" for n in range(1, 19)]


def test_contract_rule_ids_are_all_present() -> None:
    ids = {r.id for r in RULES}
    assert set(CONTRACT_IDS) <= ids
    assert len(ids) >= 30, "the 18 core rules plus at least 12 more"


def test_ids_are_unique_and_well_formed() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(RULE_ID.match(i) for i in ids)


def test_registering_a_duplicate_or_malformed_id_fails() -> None:
    kwargs = {
        "title": "t",
        "severity": Severity.INFO,
        "dimension": ReviewDimension.COMPLETENESS,
        "scope": RULES[0].scope,
        "rationale": "r",
        "suggestion": "s",
    }
    with pytest.raises(ValueError, match="duplicate"):
        rule(id="JX001", **kwargs)(lambda: iter(()))
    with pytest.raises(ValueError, match="malformed"):
        rule(id="JX1", **kwargs)(lambda: iter(()))


@pytest.mark.parametrize("spec", RULES, ids=[r.id for r in RULES])
def test_rule_metadata_and_docstring(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.title
    assert spec.rationale
    assert spec.suggestion
    assert isinstance(spec.severity, Severity)
    assert isinstance(spec.dimension, ReviewDimension)
    doc = spec.doc
    assert "反例" in doc, f"{spec.id} docstring needs a 反例 (bad example)"
    assert "正例" in doc, f"{spec.id} docstring needs a 正例 (good example)"
    assert doc.index("反例") < doc.index("正例")


@pytest.mark.parametrize("spec", RULES, ids=[r.id for r in RULES])
def test_rule_has_failing_and_passing_cases(spec) -> None:  # type: ignore[no-untyped-def]
    path = CASES_DIR / f"{spec.id}.toml"
    assert path.is_file(), f"{spec.id} has no case file"
    cases = load_cases(path)
    assert all(c.rule == spec.id for c in cases)
    assert any(c.expect > 0 for c in cases), f"{spec.id} needs a failing case"
    assert any(c.expect == 0 for c in cases), f"{spec.id} needs a passing case"


def test_every_case_file_names_a_registered_rule() -> None:
    ids = {r.id for r in RULES}
    for path in CASES_DIR.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["rule"] == path.stem
        assert data["rule"] in ids


def test_docs_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/rules.md is stale: run `python scripts/gen_rules_doc.py`"
    )


def test_bundled_profiles() -> None:
    national = load_profile("national")
    guangzhou = load_profile("guangzhou")
    assert load_profile(None) == national
    assert national.framework == guangzhou.framework == "classic"
    assert "13" in guangzhou.required_level2
    assert "13" not in national.required_level2
    assert guangzhou.thresholds.min_indicators > national.thresholds.min_indicators
    assert guangzhou.severity_for("JX004", Severity.WARNING) is Severity.INFO
    assert guangzhou.words == national.words  # inherited, not copied


def test_profile_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="未知的审核配置"):
        load_profile("atlantis")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [", encoding="utf-8")
    with pytest.raises(ProfileError, match="TOML"):
        load_profile(bad)
    incomplete = tmp_path / "incomplete.toml"
    incomplete.write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile(incomplete)


def test_profile_file_can_disable_rules_and_override_severity(tmp_path: Path) -> None:
    custom = tmp_path / "local.toml"
    custom.write_text(
        'extends = "national"\nname = "local"\ndisabled = ["JX004"]\n[severity]\nJX007 = "error"\n',
        encoding="utf-8",
    )
    profile = load_profile(custom)
    assert profile.name == "local"
    assert "JX004" in profile.disabled
    assert profile.severity_for("JX007", Severity.WARNING) is Severity.ERROR


@pytest.mark.parametrize(
    "override",
    [
        "[thresholds]\nrate_gap = nan",
        "[thresholds]\nrelated_similarity = inf",
        "[thresholds]\nmin_indicators = inf",
        "[grading]\nerror = inf",
        "[grading]\nwarning = -5",
        "[grading]\ninfo = 1.5",
        "[grading]\nrule_cap = 0",
        "[thresholds]\nmin_indicators = 2.7",
        "[thresholds]\nmax_name_chars = -1",
    ],
)
def test_profile_numbers_must_be_finite_and_in_range(tmp_path: Path, override: str) -> None:
    custom = tmp_path / "local.toml"
    custom.write_text(f'extends = "national"\nname = "local"\n{override}\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="审核配置内容有误") as info:
        load_profile(custom)
    assert "\n" not in str(info.value)
