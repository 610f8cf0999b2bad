"""Slow writes off the sampling path: one thread doing jobs in order from a bounded queue.

A commit with its fsync takes milliseconds on an SD card (sometimes over 100 ms),
compressing a recording longer, and even a file write can stall; the reactor's
thread must never wait for any of it. Whoever has something to write -- the store, the
session's recording and cue log -- `submit`s a job (a function of no arguments); the
jobs run in the order given, so a recording is complete before the job that compresses
it runs. A full queue (`max_jobs`) makes `submit` wait rather than drop anything.

A job that fails (an `OSError`, or `sqlite3.Error`) stops the writer from running
later ones -- they might depend on it -- and the failure is raised, as a
`StorageError`, by the next `submit`, `drain` or `close`.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from typing import Callable

MAX_JOBS = 256


class StorageError(OSError):
    """Something could not be stored; the message says what and where."""


class Writer:
    def __init__(self, name: str = "writer", max_jobs: int = MAX_JOBS) -> None:
        self.name = name
        self._jobs: queue.Queue = queue.Queue(maxsize=max_jobs)
        self._thread: threading.Thread | None = None
        self.error: StorageError | None = None

    def submit(self, job: Callable[[], None]) -> None:
        self._raise_error()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def drain(self) -> None:
        """Wait until every job submitted so far is done."""
        self._jobs.join()
        self._raise_error()

    def close(self) -> None:
        """Do every job submitted, then stop the thread."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join()
        self._raise_error()

    def _raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    job()
            except (sqlite3.Error, OSError) as e:
                self.error = e if isinstance(e, StorageError) else StorageError(f"storing failed: {e}")
            finally:
                self._jobs.task_done()
