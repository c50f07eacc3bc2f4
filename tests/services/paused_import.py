"""Fault injection for the kill test: ``python paused_import.py MARKER ARGS…`` runs the jixiao
command line with ARGS, pausing an import once all its rows are written and flushed.

The seam is the import's last write, its audit entry (``import.apply``): after it the wrapper
flushes, creates MARKER and sleeps, so the test can kill the process with the transaction open.
Nothing of this is in the shipped code.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jixiao.cli import main
from jixiao.services import audit

PAUSE_SECONDS = 120


def pause_after_import(marker: Path) -> None:
    record = audit.record

    def record_then_pause(session: Session, actor: Any, action: str, *args: Any, **kw: Any) -> Any:
        entry = record(session, actor, action, *args, **kw)
        if action == "import.apply":
            session.flush()
            marker.write_text("paused", encoding="utf-8")
            time.sleep(PAUSE_SECONDS)
        return entry

    audit.record = record_then_pause  # type: ignore[assignment]


if __name__ == "__main__":
    pause_after_import(Path(sys.argv[1]))
    sys.argv = ["jixiao", *sys.argv[2:]]
    main()
