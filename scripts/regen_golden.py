"""Check or rebuild tests/ingest/documents/*/expected.json from each folder's input file.

Each expected file carries ``_hash``: the SHA-256 of the input bytes and the expected JSON, so a
hand edit (or a stale input) is caught by tests/ingest/test_golden.py.

By default nothing is written: the script prints, for each folder whose reading changed, the
unified diff between the stored expected.json and what the reader produces now, and exits 1
when there is any. Review it, then write it with ``--accept``.

    python scripts/regen_golden.py                   # show what would change (exit 1 if any)
    python scripts/regen_golden.py --accept          # write every changed expected.json
    python scripts/regen_golden.py --accept NAME ... # only these folders
"""

from __future__ import annotations

import argparse
import difflib
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


def expected_text(folder: Path) -> str:
    return json.dumps(expected_for(folder), ensure_ascii=False, indent=1) + "\n"


def diff(folder: Path, new: str) -> str:
    """The unified diff from the stored expected.json to ``new`` ("" when equal)."""
    path = folder / "expected.json"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    name = f"{folder.name}/expected.json"
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), name, name + " (now)"
    )
    return "".join(lines)


def main(argv: list[str], documents: Path = DOCUMENTS) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accept", action="store_true", help="write the changed files")
    parser.add_argument("names", nargs="*", help="only these document folders")
    args = parser.parse_args(argv)
    folders = [documents / n for n in args.names] if args.names else sorted(documents.iterdir())
    changed = 0
    for folder in (f for f in folders if f.is_dir()):
        new = expected_text(folder)
        change = diff(folder, new)
        if not change:
            print(f"{folder.name}: unchanged")
            continue
        changed += 1
        print(change, end="")
        if args.accept:
            (folder / "expected.json").write_text(new, encoding="utf-8")
            print(f"{folder.name}: written")
    if changed and not args.accept:
        print(f"{changed} golden file(s) differ; review the diff, then run with --accept")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
