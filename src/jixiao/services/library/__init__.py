"""The indicator library (指标库): entries, occurrences, suggestions, peers and curation.

``suggest``, ``peers`` and ``rank_of`` are what other services and the pages call; see
docs/library.md.
"""

from jixiao.services.library.maintain import (
    forget_project,
    forget_projects,
    rebuild,
    refresh_project,
    refresh_projects,
    release,
)
from jixiao.services.library.schemas import LibrarySuggestion, PeerStats
from jixiao.services.library.service import peers, rank_of, suggest

__all__ = [
    "LibrarySuggestion",
    "PeerStats",
    "forget_project",
    "forget_projects",
    "peers",
    "rank_of",
    "rebuild",
    "refresh_project",
    "refresh_projects",
    "release",
    "suggest",
]
