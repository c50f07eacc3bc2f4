"""Batch reading: a folder of tables into one JSON per file and a Parquet corpus, resumable.

``run_batch`` reads the inputs with a runner (``LocalRunner``: processes on this machine;
``RayRunner``: a Ray cluster, with the optional extra ``jixiao[cluster]``), each file through
``task.read_one_bounded`` under the per-file time and memory limits. The output folder keeps a
manifest (``manifest.sqlite``) of the contents already read, so a run that was stopped, even by
SIGKILL, continues where it was: no output is half-written and no finished file is read again.
"""

from __future__ import annotations

from jixiao.batch.run import CORPUS, Failure, Summary, run_batch
from jixiao.batch.runners import LocalRunner, RayRunner
from jixiao.batch.task import TaskSettings

__all__ = ["CORPUS", "Failure", "LocalRunner", "RayRunner", "Summary", "TaskSettings", "run_batch"]
