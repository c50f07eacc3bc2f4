"""How the services reach the review engine (``jixiao.review.review_document``).

The engine is passed in as a plain callable so callers (and tests) can choose the profile.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.domain.document import Document
from jixiao.review import review_document
from jixiao.review.findings import ReviewReport

ReviewFn = Callable[[Document], ReviewReport]


def default_reviewer() -> ReviewFn:
    """``jixiao.review.review_document`` with the default (national) profile."""
    return review_document
