"""Rebuild tests/ingest/documents/*/expected.json from each folder's input file.

Each expected file carries ``_hash``: the SHA-256 of the input bytes and the expected JSON, so a
hand edit (or a stale input) is caught by tests/ingest/test_golden.py. Review the diff
(``git diff tests/ingest/documents``) before committing.

    python scripts/regen_golden.py            # all documents
    python scripts/regen_golden.py NAME ...   # only these folders
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from jixiao.domain.exchange import document_to_json
from jixiao.ingest import read_bytes

DOCUMENTS = Path(__file__).resolve().parent.parent / "tests" / "ingest" / "documents"


def input_file(folder: Path) -> Path:
    return next(p for p in sorted(folder.iterdir()) if p.name.startswith("input."))


def canonical(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "_hash"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def golden_hash(input_bytes: bytes, data: dict[str, Any]) -> str:
    digest = hashlib.sha256(input_bytes)
    digest.update(canonical(data).encode("utf-8"))
    return digest.hexdigest()


def expected_for(folder: Path) -> dict[str, Any]:
    """What the reader produces for the folder's input, with its hash."""
    source = input_file(folder)
    data = source.read_bytes()
    out = document_to_json(read_bytes(data, source.name))
    out["_hash"] = golden_hash(data, out)
    return out


def main(names: list[str]) -> None:
    folders = [DOCUMENTS / n for n in names] if names else sorted(DOCUMENTS.iterdir())
    for folder in folders:
        if not folder.is_dir():
            continue
        expected = expected_for(folder)
        text = json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
        (folder / "expected.json").write_text(text, encoding="utf-8")
        print(f"{folder.name}: {len(expected['projects'])} projects")


if __name__ == "__main__":
    main(sys.argv[1:])
