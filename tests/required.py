"""Servers a test run needs, and whether their absence skips or fails.

Locally a missing PostgreSQL or Chromium skips the tests that need it, with the reason. Under
``JIXIAO_REQUIRE_PG=1`` or ``JIXIAO_REQUIRE_BROWSER=1`` (set by ``.ci/run``) the same absence
fails those tests, so a green run cannot hide a missing server.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_PG = "JIXIAO_REQUIRE_PG"
REQUIRE_BROWSER = "JIXIAO_REQUIRE_BROWSER"


def is_required(switch: str) -> bool:
    return os.environ.get(switch, "").strip() not in ("", "0")


def unavailable(switch: str, reason: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when ``switch`` is set."""
    if is_required(switch):
        pytest.fail(f"{reason} ({switch} is set: this run requires it)", pytrace=False)
    pytest.skip(reason)
