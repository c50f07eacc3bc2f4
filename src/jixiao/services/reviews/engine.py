"""How the services reach the review engine (``jixiao.review.review_document``).

The engine is passed in as a plain callable so callers (and tests) can choose the profile.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from jixiao.domain.document import Document
from jixiao.review import review_document
from jixiao.review.evidence import Benchmarks
from jixiao.review.findings import ReviewReport

ReviewFn = Callable[[Document], ReviewReport]


def default_reviewer(benchmarks: Benchmarks | None = None) -> ReviewFn:
    """``jixiao.review.review_document`` with the default (national) profile and the evidence
    (last year's results, the peers') gathered for the document's indicators."""
    return partial(review_document, benchmarks=benchmarks)
