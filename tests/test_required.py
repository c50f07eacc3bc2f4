"""The CI switches: a missing PostgreSQL or Chromium fails the run instead of skipping it.

Each case runs a real test of the suite in a child pytest with the server made unreachable, once
without the switch (the test is skipped with its reason) and once with it (the run fails, with
the same reason and the switch named).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from required import REQUIRE_BROWSER, REQUIRE_PG

ROOT = Path(__file__).resolve().parents[1]

MISSING = {
    REQUIRE_PG: (
        "tests/services/test_projects.py::test_paging[postgresql]",
        {"JIXIAO_TEST_PG_URL": "postgresql+psycopg://postgres@127.0.0.1:1/test"},
        "PostgreSQL at postgresql+psycopg://postgres@127.0.0.1:1/test does not answer",
    ),
    REQUIRE_BROWSER: (
        "tests/browser/test_pages.py::test_viewer_cannot_edit_and_is_told_so",
        {"JIXIAO_TEST_CHROMIUM": "/nonexistent/chromium"},
        "Debian Chromium (/nonexistent/chromium) is not installed",
    ),
}


def run_pytest(target: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k not in (REQUIRE_PG, REQUIRE_BROWSER)
    }
    env.update(extra_env)
    command = [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-rs", target]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize("switch", list(MISSING))
def test_a_missing_server_skips_locally(switch: str) -> None:
    target, env, reason = MISSING[switch]
    result = run_pytest(target, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 skipped" in output, output
    assert reason in output, output


@pytest.mark.parametrize("switch", list(MISSING))
def test_a_missing_server_fails_the_run_under_the_switch(switch: str) -> None:
    target, env, reason = MISSING[switch]
    result = run_pytest(target, {**env, switch: "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 error" in output, output
    assert "skipped" not in output, output
    assert reason in output, output
    assert f"{switch} is set" in output, output
