"""Slow writes off the sampling path: one thread doing jobs in order, retrying what fails.

A commit with its fsync takes milliseconds on an SD card (sometimes over 100 ms),
compressing a recording longer, and even a file write can stall; the reactor's
thread must never wait for any of it. Whoever has something to write -- the store, the
session's recording and cue log -- `submit`s a job (a function of no arguments), and
`submit` never waits: what cannot be written yet is kept in memory (a session's worth
is a few MB).

Two lanes, each run in the order given: file jobs, and database jobs
(`submit(job, database=True)`); neither waits for the other when it fails, so a rep's
row is written while recording bytes wait for room, and a file job does not wait for a
database that is locked or full. A database job that points at a file
(`after_files=True`) joins its lane only once every file job submitted before it is done,
and runs only once none submitted before it is left in the file lane, the file jobs handed
on by the database lane included: a recording is on the SD card before the database points
at it, and the cue log's last lines are written before the session's folder goes. Meanwhile
the database jobs behind it that point at no file go ahead (a rep's row does not wait for
room on the disk). A file job that speaks of rows (`after_database=True`: the cue log,
whose *rep done* says a rep is kept) joins its lane only once every database job submitted
before it is done, in its place by submission among the file jobs still waiting.

With a `Reserve` (`keep_reserve`), a database job that finds the disk full frees the
reserve and is tried again at once; file jobs wait until the reserve can be made again.
A file job names the files it writes (`submit(job, files=...)`): its trouble names the
file its own write failed on (and the job's other files beside it), or, while it waits for
the reserve (the writer's own file, never named), the job's files; a `drain` that gives up
names the files still waiting, not finished (more than LISTED_FILES as a count in the folder
they share: `StorageUnfinished.files` lists them all).

A job that fails with a storage error (`OSError`, `sqlite3.Error`: a full disk, a
database locked by another process) is tried again, its lane's later jobs waiting
behind it, after a backoff from RETRY_FIRST_S doubling to RETRY_MAX_S; meanwhile
`trouble` says what is wrong (None once it works again). Any other exception is a bug
in the job: the writer stops and raises that exception itself, with its traceback, at
the next `submit`, `drain` or `close`.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from device.cli_texts import cli_text
from device.reserve import Reserve

RETRY_FIRST_S = 0.05
RETRY_MAX_S = 2.0
WAIT_LIMIT_S = 4.0          # drain() and close() give up after this long (systemd stops us in 10 s)
LISTED_FILES = 3            # a drain that gives up names this many files not finished; more: a count and their folder

FULL, LOCKED, DAMAGED, FAILING = "full", "locked", "damaged", "failing"
_SQLITE_KINDS = {sqlite3.SQLITE_FULL: FULL, sqlite3.SQLITE_BUSY: LOCKED, sqlite3.SQLITE_LOCKED: LOCKED,
                 sqlite3.SQLITE_CORRUPT: DAMAGED, sqlite3.SQLITE_NOTADB: DAMAGED}
FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)     # no room: the disk, a quota, the filesystem's file size


class StorageError(OSError):
    """Something could not be stored; the message says what and where."""


class DamagedDatabase(StorageError):
    """A reader found the database at `path` damaged (`reason`, one line): nothing is read from
    it. The message is English (`device.cli_texts`' words); the command line says it in the user's
    language from the two."""

    def __init__(self, path, reason: str) -> None:
        super().__init__(cli_text("database_damaged", "en", path=path, reason=reason))
        self.path, self.reason = path, reason


class StorageUnfinished(StorageError):
    """Writes were still failing when the caller could wait no longer; `files`: every file
    not finished (the message names at most LISTED_FILES of them)."""

    def __init__(self, message: str, files: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.files = files


@dataclass(frozen=True)
class Trouble:
    """Why writing fails just now: `kind` is FULL, LOCKED, DAMAGED or FAILING."""

    kind: str
    message: str


def classify(error: BaseException) -> Trouble:
    """The kind of storage trouble `error` (an `sqlite3.Error` or `OSError`) is."""
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF       # the primary result code
        return Trouble(_SQLITE_KINDS.get(code, FAILING), str(error))
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return Trouble(FULL if error.errno in FULL_ERRNOS else FAILING, where + error.strerror)
    return Trouble(FAILING, str(error))


Files = tuple[Path, ...]


def _about(error: OSError, files: Files) -> OSError:
    """`error`, a file job's, naming what is not finished: the file it names, with the
    job's other `files` beside it, or the job's `files` where it names none."""
    listed = ", ".join(map(str, files))
    if error.filename is None:
        return OSError(error.errno, error.strerror, listed)
    named = os.fsdecode(error.filename)
    others = ", ".join(str(path) for path in files if str(path) != named)
    return OSError(error.errno, f"{error.strerror} (writing {others})" if others else error.strerror,
                   error.filename, None, error.filename2)


class _Lane:
    """The jobs of one kind, in order, and how the first of them fares."""

    __slots__ = ("jobs", "trouble", "retry_at_s", "backoff_s")

    def __init__(self) -> None:
        self.jobs: deque[tuple[int, Callable[[], None], Files]] = deque()    # (submission number, job, its files)
        self.trouble: Trouble | None = None
        self.retry_at_s = 0.0
        self.backoff_s = RETRY_FIRST_S

    def failed(self, trouble: Trouble, now_s: float) -> None:
        self.trouble = trouble
        self.retry_at_s = now_s + self.backoff_s
        self.backoff_s = min(RETRY_MAX_S, 2.0 * self.backoff_s)

    def done(self) -> None:
        self.jobs.popleft()
        self.trouble = None
        self.retry_at_s = 0.0
        self.backoff_s = RETRY_FIRST_S


class Writer:
    def __init__(self, name: str = "writer") -> None:
        self.name = name
        self._cond = threading.Condition()
        self._files = _Lane()
        self._database = _Lane()
        self._submitted = 0
        self._gated: set[int] = set()     # database jobs after files, handed on: they wait at the lane's head
        self._thread: threading.Thread | None = None
        self._closing = False
        self._reserve: Reserve | None = None
        self.error: Exception | None = None     # a job's bug, raised again in the caller's thread

    @property
    def trouble(self) -> Trouble | None:
        """What keeps jobs from being written just now (the file lane's first), or None."""
        return self._files.trouble or self._database.trouble

    def submit(self, job: Callable[[], None], *, database: bool = False, after_files: bool = False,
               after_database: bool = False, files: Files = ()) -> None:
        """Do `job` in its lane (`database` or files); `after_files`: a database job that
        waits for every file job submitted before it; `after_database`: a file job that
        waits for every database job submitted before it; `files`: those a file job writes
        (named when they cannot be written)."""
        self._raise_error()
        with self._cond:
            if self._thread is None:
                self._closing = False
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._submitted += 1
            number = self._submitted
            if database and after_files:          # a file job hands it to the database lane
                self._gated.add(number)
                self._files.jobs.append((number, lambda: self._relay(self._database, number, job, ()), ()))
            elif not database and after_database:   # ... and a database job to the file lane
                self._database.jobs.append((number, lambda: self._relay(self._files, number, job, files), files))
            else:
                (self._database if database else self._files).jobs.append((number, job, files))
            self._cond.notify()

    def _relay(self, lane: _Lane, number: int, job: Callable[[], None], files: Files) -> None:
        """Hand `job` on to `lane` (on the writer's thread: none of that lane's jobs is under
        way): a database job at the end, a file job in its place by submission, ahead of the
        file jobs submitted after it (never ahead of one that is failing)."""
        with self._cond:
            jobs = lane.jobs
            at = len(jobs)
            if lane is self._files:
                while at > (1 if lane.trouble is not None else 0) and jobs[at - 1][0] > number:
                    at -= 1
            jobs.insert(at, (number, job, files))

    def keep_reserve(self, reserve: Reserve) -> None:
        """Keep `reserve` for the database (made as a file job, when there is room)."""
        self._reserve = reserve
        self.submit(reserve.make)

    def drain(self, timeout_s: float | None = WAIT_LIMIT_S) -> None:
        """Wait until every job submitted so far is done; StorageUnfinished when some
        still fail after `timeout_s` (None: wait as long as it takes)."""
        with self._cond:
            last = self._submitted
            done = self._cond.wait_for(lambda: self.error is not None or self._done_through(last), timeout_s)
            unfinished = None if done else self._unfinished(timeout_s)
        self._raise_error()
        if unfinished is not None:
            raise StorageUnfinished(*unfinished)

    def _unfinished(self, timeout_s: float | None) -> tuple[str, tuple[str, ...]]:
        """What a drain that gave up says: the writes waiting, why (naming the files of the
        file job that fails), and the other files they would write -- up to LISTED_FILES by
        name, more as a count in the folder they share (a disk full through a run leaves a
        dozen or more, and the line is for a person) -- and every file not finished."""
        lanes = (self._files, self._database)
        waiting = sum(len(lane.jobs) for lane in lanes)
        trouble = self.trouble
        named = self._files.jobs[0][2] if self._files.trouble is not None else ()
        others = list(dict.fromkeys(str(path) for lane in lanes for _, _, files in lane.jobs for path in files
                                    if path not in named))
        listed = ", ".join(others)
        if len(others) > LISTED_FILES:
            folder = os.path.commonpath([os.path.abspath(path) for path in others])   # (`sim --out` may be relative)
            listed = f"{len(others)} {'more ' if named else ''}files in {folder}"
        return ((f"{waiting} writes not done after {timeout_s:g} s" + (f": {trouble.message}" if trouble else "")
                 + (f"; {'not finished either' if named else 'not finished'}: {listed}" if others else "")),
                tuple(dict.fromkeys([*map(str, named), *others])))

    def close(self, timeout_s: float | None = WAIT_LIMIT_S) -> None:
        """Do every job submitted (see `drain`), then stop the thread."""
        self.drain(timeout_s)
        with self._cond:
            thread, self._thread = self._thread, None
            self._closing = True
            self._cond.notify()
        if thread is not None:
            thread.join()

    def _raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def _done_through(self, last: int) -> bool:
        """Every job numbered up to `last` is done (a relayed job keeps its number)."""
        return all(number > last for lane in (self._files, self._database) for number, _, _ in lane.jobs)

    def _held(self, lane: _Lane) -> bool:
        """The lane's first job is a database job after files while a file job submitted
        before it is still in the file lane (one the database lane handed on may stand behind
        a failing one)."""
        if lane is not self._database or lane.jobs[0][0] not in self._gated:
            return False
        number = lane.jobs[0][0]
        return any(earlier < number for earlier, _, _ in self._files.jobs)

    def _pass_held(self) -> None:
        """A database job after files that is held lets the first database job behind it
        that points at no file go first (a rep's row is not kept waiting for room on the
        disk); the jobs after files keep their order."""
        jobs = self._database.jobs
        if not jobs or not self._held(self._database):
            return
        plain = next((i for i, (number, _, _) in enumerate(jobs) if number not in self._gated), None)
        if plain is not None:
            job = jobs[plain]
            del jobs[plain]
            jobs.appendleft(job)

    def _due(self, now_s: float) -> _Lane | None:
        """The lane whose first job may run now (the earlier submitted of the two), or None;
        a held database job first lets a row behind it go ahead (`_pass_held`)."""
        if self._database.retry_at_s <= now_s:
            self._pass_held()
        ready = [lane for lane in (self._files, self._database)
                 if lane.jobs and lane.retry_at_s <= now_s and not self._held(lane)]
        return min(ready, key=lambda lane: lane.jobs[0][0], default=None)

    def _wait_s(self, now_s: float) -> float | None:
        """How long until a lane's retry is due (None: nothing waits for one; a lane held
        waits for the other)."""
        due = [lane.retry_at_s for lane in (self._files, self._database) if lane.jobs and not self._held(lane)]
        return max(0.0, min(due) - now_s) if due else None

    def _attempt(self, lane: _Lane, job: Callable[[], None], files: Files) -> None:
        """Run `job`: a file job once the reserve is made (its failure, or the reserve's,
        about its `files`: `_about`); a database job that finds the disk full once more
        after freeing the reserve."""
        reserve = self._reserve
        if lane is self._files:
            try:
                self._make_reserve()
                job()
            except OSError as e:
                if not files or e.errno is None:
                    raise
                raise _about(e, files) from e
            return
        try:
            job()
        except (sqlite3.Error, OSError) as e:
            if reserve is None or classify(e).kind != FULL or not reserve.free():
                raise
            job()

    def _make_reserve(self) -> None:
        """Make the reserve, if one is kept, before a file job; an error naming no file: the
        reserve is the writer's own, and what waits for it is the job's files."""
        if self._reserve is None:
            return
        try:
            self._reserve.make()
        except OSError as e:
            raise OSError(e.errno, e.strerror) from e

    def _run(self) -> None:
        while True:
            with self._cond:
                while (lane := self._due(time.monotonic())) is None:
                    if self._closing and not (self._files.jobs or self._database.jobs):
                        return
                    self._cond.wait(self._wait_s(time.monotonic()))
                _, job, files = lane.jobs[0]
            try:
                self._attempt(lane, job, files)
            except (sqlite3.Error, OSError) as e:
                with self._cond:
                    lane.failed(classify(e), time.monotonic())
                    self._cond.notify_all()
            except Exception as e:          # a bug: stop; the caller raises it as it is (not as bad storage)
                with self._cond:
                    self.error = e
                    self._cond.notify_all()
                return
            else:
                with self._cond:
                    if lane is self._database:
                        self._gated.discard(lane.jobs[0][0])
                    lane.done()
                    self._cond.notify_all()
