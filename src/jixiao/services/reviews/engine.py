"""How the services reach the review engine (``jixiao.review.review_document``).

The engine is passed in as a plain callable so callers (and tests) can choose the profile.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.domain.document import Document
from jixiao.review.findings import ReviewReport
from jixiao.services.errors import Unavailable

ReviewFn = Callable[[Document], ReviewReport]


def default_reviewer() -> ReviewFn:
    """``jixiao.review.review_document`` with the default profile."""
    import jixiao.review as review

    engine: ReviewFn | None = getattr(review, "review_document", None)
    if engine is None:
        raise Unavailable("审核引擎不可用")
    return engine
