"""The per-file task of batch reading: bytes in, the output JSON texts (and facts) out.

The same function runs everywhere a file is read: in this process (``read_one``), in a bounded
child process (``read_one_bounded``: the time and memory limits of ``ingest.isolated``), on a
Ray worker. Its answer is small and picklable: the JSON texts to write, how many pages the file
had, or the one-line reason it could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.batch.corpus import corpus_rows
from jixiao.errors import JixiaoError
from jixiao.ingest import ParseResult, parse_bytes
from jixiao.ingest.debug import debug_html
from jixiao.ingest.isolated import Isolation, call_isolated, preload
from jixiao.ingest.readers import ReadOptions
from jixiao.ingest.sniff import check_size
from jixiao.outputs import json_text, payloads


@dataclass(frozen=True)
class TaskSettings:
    """How every file of a batch is read (the ``parse`` options, and the per-file bounds)."""

    strict: bool = False
    sheet: str | None = None
    debug: bool = False
    isolation: Isolation = field(default_factory=lambda: Isolation(seconds=60.0, nice=0))


@dataclass(frozen=True)
class Outcome:
    """What reading one file gave: the JSON texts of its outputs in order (and the debug
    page when asked for), its page count; or ``error``, one line, when it could not be read."""

    texts: tuple[str, ...] = ()
    pages: int = 0
    debug: str | None = None
    error: str | None = None


def page_count(result: ParseResult) -> int:
    """Pages read: the distinct pages cells came from (PDF, images), else one per input."""
    pages = {
        (index, cell.page)
        for index, part in enumerate(result.parts)
        for row in part.table.rows
        for cell in row.cells
        if cell.page is not None
    }
    return max(len(pages), 1)


def read_one(data: bytes, name: str, settings: TaskSettings) -> Outcome:
    """Read one file in this process. A file that cannot be read gives ``error``; a reader
    bug is reported the same way (one line naming the file), never raised."""
    try:
        check_size(len(data), name)
        result = parse_bytes(
            data, name, strict=settings.strict, options=ReadOptions(sheet=settings.sheet)
        )
        outputs = payloads(result)
        for payload in outputs:
            corpus_rows(payload, document=name, source_file=name, sha256="")
    except JixiaoError as exc:
        return Outcome(error=str(exc).splitlines()[0] if str(exc) else name)
    except Exception as exc:  # a reader bug must still end in one line, not a traceback
        return Outcome(error=f"{name}: 解析时发生内部错误（{type(exc).__name__}: {exc}）")
    return Outcome(
        texts=tuple(json_text(p) + "\n" for p in outputs),
        pages=page_count(result),
        debug=debug_html(result) if settings.debug else None,
    )


def read_one_bounded(data: bytes, name: str, settings: TaskSettings) -> Outcome:
    """``read_one`` in a child process under the per-file time and memory limits (forked from
    a server that has this module loaded, wherever this runs: here or on a Ray worker)."""
    preload([__name__])
    try:
        outcome = call_isolated(read_one, (data, name, settings), name, settings.isolation)
    except JixiaoError as exc:
        return Outcome(error=str(exc))
    assert isinstance(outcome, Outcome)
    return outcome
