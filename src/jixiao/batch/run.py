"""One batch: read every input not already done, write its outputs, record it, build the corpus.

For each input, in the order given: a file that cannot be opened, or is empty or too large,
fails at once; otherwise its SHA-256 is taken and a content already finished (in an earlier run,
under any name) or already seen in this run (a copy under another name) is skipped. The rest go
to the runner. As each file finishes, its JSON outputs are written (temporary file, then rename)
and then its manifest record is committed, so a run killed at any point resumes where it
stopped. At the end the corpus (``corpus.parquet``) is rebuilt from the outputs of every file
the manifest lists.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.batch.corpus import corpus_rows, write_corpus
from jixiao.batch.manifest import Manifest
from jixiao.batch.runners import Runner
from jixiao.batch.task import Outcome, TaskSettings
from jixiao.errors import JixiaoError
from jixiao.ingest import read_file

CORPUS = "corpus.parquet"


@dataclass(frozen=True)
class Failure:
    path: Path
    reason: str  # one line, naming the file

    @property
    def cause(self) -> str:
        """The reason without the file name in front: failures are grouped by it."""
        prefix = f"{self.path.name}: "
        return self.reason[len(prefix) :] if self.reason.startswith(prefix) else self.reason


@dataclass
class Summary:
    total: int = 0
    read: int = 0  # read in this run
    resumed: int = 0  # finished in an earlier run
    copies: int = 0  # same content as another input of this run
    pages: int = 0
    corpus_rows: int = 0
    failures: list[Failure] = field(default_factory=list)

    def by_cause(self) -> dict[str, list[Path]]:
        groups: dict[str, list[Path]] = {}
        for failure in self.failures:
            groups.setdefault(failure.cause, []).append(failure.path)
        return dict(sorted(groups.items(), key=lambda item: -len(item[1])))


# progress(files finished or skipped, pages read so far)
Progress = Callable[[int, int], None]


def write_atomic(path: Path, text: str) -> None:
    """``path`` holds ``text`` whole, or keeps what it held: write aside, then rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _sweep(out: Path) -> None:
    """Remove temporary files a killed run left behind."""
    for stale in out.glob(".*.tmp"):
        stale.unlink()


def _output_names(path: Path, sha256: str, count: int, manifest: Manifest) -> list[str]:
    """``name.json``, ``name-2.json``… — with the content's hash added to the stem when one of
    these names already belongs to another input file."""
    stem = path.stem

    def names(base: str) -> list[str]:
        return [f"{base}.json"] + [f"{base}-{i}.json" for i in range(2, count + 1)]

    plain = names(stem)
    if all(manifest.owner(name) in (None, str(path)) for name in plain):
        return plain
    return names(f"{stem}-{sha256[:8]}")


def run_batch(
    files: list[Path],
    out: Path,
    runner: Runner,
    settings: TaskSettings,
    progress: Progress = lambda files, pages: None,
) -> Summary:
    """Read ``files`` into ``out`` (see the module docstring); the summary of this run."""
    out.mkdir(parents=True, exist_ok=True)
    _sweep(out)
    summary = Summary(total=len(files))
    manifest = Manifest(out)
    counted = 0

    def tick() -> None:
        nonlocal counted
        counted += 1
        progress(counted, summary.pages)

    def tasks() -> Iterator[tuple[tuple[Path, str], bytes, str]]:
        seen: set[str] = set()
        for path in files:
            try:
                data = read_file(path)
            except JixiaoError as exc:
                summary.failures.append(Failure(path, str(exc)))
                tick()
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 in seen or _finished(manifest, sha256, out):
                if sha256 in seen:
                    summary.copies += 1
                else:
                    summary.resumed += 1
                tick()
                continue
            seen.add(sha256)
            yield (path, sha256), data, path.name

    try:
        for (path, sha256), outcome in runner.run(tasks(), settings):
            if outcome.error is not None:
                summary.failures.append(Failure(path, outcome.error))
            else:
                _finish(path, sha256, outcome, out, manifest)
                summary.read += 1
                summary.pages += outcome.pages
            tick()
        summary.corpus_rows = write_corpus(out / CORPUS, _all_rows(out, manifest))
    finally:
        manifest.close()
    return summary


def _finished(manifest: Manifest, sha256: str, out: Path) -> bool:
    """Read in an earlier run, its outputs still there (else it is read again)."""
    done = manifest.find(sha256)
    return done is not None and all((out / name).is_file() for name in done.outputs)


def _finish(path: Path, sha256: str, outcome: Outcome, out: Path, manifest: Manifest) -> None:
    names = _output_names(path, sha256, len(outcome.texts), manifest)
    for name, text in zip(names, outcome.texts, strict=True):
        write_atomic(out / name, text)
    if outcome.debug is not None:
        write_atomic(out / f"{Path(names[0]).stem}.debug.html", outcome.debug)
    manifest.record(sha256, str(path), names, outcome.pages)


def _all_rows(out: Path, manifest: Manifest) -> Iterator[dict[str, object]]:
    for done in manifest.done():
        for name in done.outputs:
            try:
                payload = json.loads((out / name).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise JixiaoError(
                    f"{out / name}: 输出文件缺失或已被改动，无法汇总语料；"
                    f"请重新运行（或删除 {manifest.path.name} 后全部重读）"
                ) from None
            yield from corpus_rows(
                payload, document=name, source_file=done.source_file, sha256=done.sha256
            )
