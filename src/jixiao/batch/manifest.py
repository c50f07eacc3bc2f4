"""What a batch has finished, kept in the output folder so an interrupted run can resume.

``manifest.sqlite`` records each input that was read, by the SHA-256 of its content: the name it
was read under, the output files it gave, its page count and the run that read it. Each file's
record is one committed transaction, made only after its outputs were renamed into place; a
process killed at any moment therefore leaves a manifest that lists exactly files whose outputs
are whole (at worst one finished file is not yet listed and is read again).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.sqlite"

_TABLES = """
CREATE TABLE IF NOT EXISTS runs (run INTEGER PRIMARY KEY, started TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS done (
    sha256 TEXT PRIMARY KEY,
    source_file TEXT NOT NULL,
    outputs TEXT NOT NULL,
    pages INTEGER NOT NULL,
    run INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS outputs (
    name TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES done (sha256) ON DELETE CASCADE
);
"""


@dataclass(frozen=True)
class Done:
    sha256: str
    source_file: str
    outputs: tuple[str, ...]
    pages: int
    run: int


class Manifest:
    """The manifest of one output folder; used from one thread (the batch's main loop)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_TABLES)
        cursor = self._db.execute("INSERT INTO runs (started) VALUES (datetime('now'))")
        assert cursor.lastrowid is not None
        self.run = cursor.lastrowid

    def close(self) -> None:
        self._db.close()

    def find(self, sha256: str) -> Done | None:
        row = self._db.execute(
            "SELECT sha256, source_file, outputs, pages, run FROM done WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return None if row is None else _done(row)

    def owner(self, name: str) -> str | None:
        """The input file whose outputs include ``name``, if any."""
        row = self._db.execute(
            "SELECT done.source_file FROM outputs JOIN done USING (sha256) WHERE name = ?",
            (name,),
        ).fetchone()
        return None if row is None else str(row[0])

    def record(self, sha256: str, source_file: str, outputs: list[str], pages: int) -> None:
        """Record one finished file (its outputs already in place) in one transaction; an
        earlier content of the same file name gives its record and output names up."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "DELETE FROM done WHERE source_file = ? OR sha256 = ?", (source_file, sha256)
            )
            self._db.execute(
                "INSERT INTO done (sha256, source_file, outputs, pages, run)"
                " VALUES (?, ?, ?, ?, ?)",
                (sha256, source_file, json.dumps(outputs, ensure_ascii=False), pages, self.run),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO outputs (name, sha256) VALUES (?, ?)",
                [(name, sha256) for name in outputs],
            )

    def done(self) -> Iterator[Done]:
        """Every finished file, in the order of their names (the corpus order)."""
        cursor = self._db.execute(
            "SELECT sha256, source_file, outputs, pages, run FROM done ORDER BY source_file, sha256"
        )
        yield from (_done(row) for row in cursor)


def _done(row: tuple[str, str, str, int, int]) -> Done:
    sha256, source_file, outputs, pages, run = row
    return Done(sha256, source_file, tuple(json.loads(outputs)), pages, run)
