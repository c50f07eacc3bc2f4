"""Read an uploaded file into a Document: ``jixiao.document/1`` JSON or a table (ingest)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Protocol

from jixiao.domain.document import Document
from jixiao.domain.exchange import document_from_json
from jixiao.errors import JixiaoError
from jixiao.ingest import read_bytes, readers
from jixiao.ingest.isolated import Isolation, ParseBusy, read_isolated, run_isolated
from jixiao.ingest.readers.scan.crop import upright_page
from jixiao.ingest.result import SelfEvaluationFile
from jixiao.services.errors import Busy, SelfEvaluationUpload, UnreadableUpload
from jixiao.settings import Settings

log = logging.getLogger(__name__)


class ReadFn(Protocol):
    """Reads an upload into a Document; ``corrections`` (cell ref → a person's text) are put
    into the grid before the layouts run (given only when there are some)."""

    def __call__(
        self, data: bytes, filename: str, corrections: Mapping[str, str] | None = None, /
    ) -> Document: ...


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


JSON_EXTENSION = ".json"


def is_json(filename: str) -> bool:
    return filename.lower().endswith(JSON_EXTENSION)


def source_kind(data: bytes, filename: str) -> str:
    """The kind of input: ``json`` for a ``jixiao.document/1`` file, else the registry's
    ``source_kind`` (``xlsx``, ``csv``, ``ocr_text`` …) recognised by content."""
    if is_json(filename):
        return "json"
    kind = readers.kind_of(data, filename)
    return kind.source_kind if kind else "unknown"


def accepted_extensions() -> str:
    """The upload form's ``accept=``: the JSON exchange format and every registered kind."""
    return ",".join((JSON_EXTENSION, *readers.extensions()))


def accepted_labels() -> str:
    """The same in words, for the form's label."""
    return f"{readers.supported()}或 jixiao.document/1 JSON"


OCR_KINDS = frozenset({"pdf_text", "image"})  # the kinds whose pages may go to OCR


def _isolation(settings: Settings, data: bytes, filename: str) -> Isolation:
    """The bounds of one file's child process: ``ocr_parse_*`` for files whose pages may need
    OCR (the models alone take more than a second and a gigabyte), ``parse_*`` for the rest."""
    kind = readers.kind_of(data, filename)
    if kind is not None and kind.name in OCR_KINDS:
        seconds, memory_mb = settings.ocr_parse_seconds, settings.ocr_parse_memory_mb
    else:
        seconds, memory_mb = settings.parse_seconds, settings.parse_memory_mb
    return Isolation(seconds, memory_mb * 1024 * 1024, settings.parse_workers)


def isolated_reader(settings: Settings) -> ReadFn:
    """The reader for uploads from the web and the API: each file parsed in its own process,
    within its bounds (see ``_isolation``), so one file costs its own request only."""

    def read(
        data: bytes, filename: str, corrections: Mapping[str, str] | None = None, /
    ) -> Document:
        return read_isolated(data, filename, _isolation(settings, data, filename), corrections)

    return read


def read_upload(
    data: bytes,
    filename: str,
    reader: ReadFn | None = None,
    corrections: Mapping[str, str] | None = None,
) -> Document:
    """The Document in ``data``, with a person's ``corrections`` of cells (ref → text);
    UnreadableUpload (one-line reason) for anything else."""
    if not data:
        raise UnreadableUpload("文件为空", fields={"file": "文件为空"})
    try:
        if is_json(filename):
            return document_from_json(json.loads(data.decode("utf-8")))
        read = reader or read_bytes
        return read(data, filename, corrections) if corrections else read(data, filename)
    except ParseBusy as exc:
        raise Busy(str(exc)) from None
    except SelfEvaluationFile as exc:
        message = str(exc).splitlines()[0]
        raise SelfEvaluationUpload(message, exc.evaluations) from None
    except (JixiaoError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else "无法读取文件"
        raise UnreadableUpload(message, fields={"file": message}) from None
    except Exception as exc:  # a reader bug still ends in a clear refusal, logged in full
        log.exception("reader failed on %s", filename)
        message = f"{filename}: 解析时发生内部错误（{type(exc).__name__}），文件未导入"
        raise UnreadableUpload(message, fields={"file": message}) from exc


def upright_page_png(data: bytes, filename: str, page: int, settings: Settings) -> bytes:
    """Page ``page`` of an upload as its reader saw it (turned upright, levelled), a PNG,
    rendered in a bounded child process like the reading itself; UnreadableUpload if not."""
    try:
        bounds = _isolation(settings, data, filename)
        png = run_isolated(upright_page, (data, filename, page), filename, bounds)
    except ParseBusy as exc:
        raise Busy(str(exc)) from None
    except JixiaoError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "无法读取文件"
        raise UnreadableUpload(message, fields={"file": message}) from None
    assert isinstance(png, bytes)
    return png
