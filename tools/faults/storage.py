"""Storage under stress, each on a state directory of its own: a filesystem that fills
up during a run (and gets room again, during the run or after it), a database with a page of garbage, a database another process keeps
locked for 12 s. The device may stop (one clear line, non-zero exit) or carry on;
either way no reported rep may be lost, nothing may hang or raise a traceback, and a
restart on what is left must work. `audit.Auditor` keeps the books."""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tools.faults.audit import Auditor
from tools.faults.runs import RunResult, run_once, run_sim
from tools.faults.table import Part

RUN_TIMEOUT_S = 180.0
TMPFS_SIZES_KIB = (384, 640)      # full during the first session; full during the second
DISK_FULL = "No space left on device"
LOCK_S = 12.0
PAGE_SIZE_LIMIT_PAGES = 8          # without tmpfs: the database may not grow past this many pages

LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""

PAGE_LIMIT = """
import sqlite3
_connect = sqlite3.connect
def connect(*args, **kwargs):
    db = _connect(*args, **kwargs)
    db.execute("PRAGMA max_page_count = {pages}")
    return db
sqlite3.connect = connect
"""


class Storage:
    """The storage scenarios, in `work`, with the device's `config`."""

    def __init__(self, work: Path, config: Path, rng: random.Random) -> None:
        self.work = work
        self.config = config
        self.rng = rng

    def _run(self, books: Auditor, how: str, *, sessions: int, env: dict[str, str] | None = None,
             during=None) -> RunResult:
        """One `run --sim` on the books' state directory to its end; `during(proc)` acts on it meanwhile."""
        before = sorted(set(books.session_ids()) | set(books.due))     # a damaged database may show none
        proc = run_sim(books.state, self.config, self.work / "logs" / f"{books.part.name}-{books.part.runs}",
                       sessions=sessions, seed=self.rng.randrange(10_000), env=env)
        books.part.runs += 1
        if during is not None:
            during(proc)
        result = proc.wait(RUN_TIMEOUT_S)
        books.check(result, how, before)
        return result

    def _restart(self, books: Auditor) -> None:
        """What was left must start and run a session to its end."""
        result = self._run(books, "restart afterwards", sessions=1)
        if result.exit_code != 0:
            books.note("the restart afterwards did not complete its session")

    # --- a full filesystem -----------------------------------------------------------------------
    def full_filesystem(self, part: Part, *, tmpfs: bool = True) -> None:
        """The state directory on a small tmpfs, of each of TMPFS_SIZES_KIB. A run fills it,
        and room comes back while it runs (the device must then write everything it kept
        in memory); then, on the smallest, a run fills it to its end (its reps must be
        kept; a recording it had no room for, it says so), and the device must start
        again on what was left once there is room."""
        for size_kib in TMPFS_SIZES_KIB:
            with _tmpfs(self.work / f"tmpfs-{size_kib}k", size_kib, tmpfs) as mount:
                if mount is None:
                    part.skipped = "no tmpfs (mount -t tmpfs not permitted)" if tmpfs else "no tmpfs (asked for)"
                    return
                books = Auditor(mount / "state", part)
                self._run(books, f"{size_kib} KiB filesystem, room again while it runs", sessions=2,
                          during=lambda proc, mount=mount: _grow_once_full(proc, mount))
                books.close()
        size_kib = min(TMPFS_SIZES_KIB)
        with _tmpfs(self.work / f"tmpfs-{size_kib}k-to-the-end", size_kib, tmpfs) as mount:
            books = Auditor(mount / "state", part)
            self._run(books, f"{size_kib} KiB filesystem, full to the end", sessions=2)
            _grow(mount, 64 * 1024)
            self._restart(books)
            books.close()

    def full_database(self, part: Part) -> None:
        """Without tmpfs: the database may not grow past PAGE_SIZE_LIMIT_PAGES pages
        (sqlite3.connect wrapped in the device's process by a sitecustomize module)."""
        site = self.work / "page-limit"
        site.mkdir(parents=True, exist_ok=True)
        (site / "sitecustomize.py").write_text(PAGE_LIMIT.format(pages=PAGE_SIZE_LIMIT_PAGES))
        books = Auditor(self.work / "full-db-state", part)
        self._run(books, f"database limited to {PAGE_SIZE_LIMIT_PAGES} pages", sessions=2,
                  env={"PYTHONPATH": str(site)})
        self._restart(books)
        books.close()

    # --- a damaged database ------------------------------------------------------------------------
    def damaged_database(self, part: Part) -> None:
        base = Auditor(self.work / "damaged-base", part)
        self._run(base, "a session before the damage", sessions=1)
        base.close()
        pages = _checkpoint(base.state / "pftrainer.db")
        for page in (1, self.rng.randrange(2, pages + 1)):
            state = self.work / f"damaged-page-{page}"
            shutil.copytree(base.state, state)
            _overwrite_page(state / "pftrainer.db", page, self.rng)
            books = Auditor(state, part, damaged=True)
            books.due = dict(base.due)        # what was stored before the damage must come back
            history = run_once(["history", "--state-dir", str(state)], self.work / "logs" / f"history-{page}", 60)
            part.runs += 1
            books.check(history, f"page {page} of {pages} garbage, history", [])
            self._run(books, f"page {page} of {pages} garbage, run", sessions=1)
            books.close()

    # --- a locked database -------------------------------------------------------------------------
    def locked_database(self, part: Part) -> None:
        books = Auditor(self.work / "locked-state", part)

        def lock_once_in_session(proc) -> None:
            _wait_for_session(proc)
            locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(books.state / "pftrainer.db"),
                                       str(LOCK_S)], stdout=subprocess.PIPE, text=True)
            locker.stdout.readline()                           # "locked"
            locker.wait(LOCK_S + 40)
        self._run(books, f"database locked EXCLUSIVE for {LOCK_S:.0f} s", sessions=2, during=lock_once_in_session)
        self._restart(books)
        books.close()


def _mount_tmpfs(path: Path, size_kib: int) -> bool:
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@contextlib.contextmanager
def _tmpfs(path: Path, size_kib: int, allowed: bool):
    """A tmpfs of `size_kib` mounted at `path` (None when not `allowed` or not permitted)."""
    path.mkdir(parents=True, exist_ok=True)
    if not (allowed and _mount_tmpfs(path, size_kib)):
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)


def _grow_once_full(proc, mount: Path, full_for_s: float = 3.0, timeout_s: float = RUN_TIMEOUT_S) -> None:
    """Once the run's log says the disk is full, give it room after `full_for_s`."""
    deadline = time.monotonic() + timeout_s
    while (time.monotonic() < deadline and proc.running
           and DISK_FULL not in proc.log_path.read_text(errors="replace")):
        time.sleep(0.05)
    time.sleep(full_for_s)
    _grow(mount, 64 * 1024)


def _grow(path: Path, size_kib: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size_kib}k", str(path)], check=True, capture_output=True)


def _checkpoint(db_path: Path) -> int:
    """Move the WAL into the database file (so a damaged page is not hidden by it); its pages."""
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    return pages


def _overwrite_page(db_path: Path, page: int, rng: random.Random) -> None:
    with open(db_path, "r+b") as f:
        f.seek(16)
        page_size = int.from_bytes(f.read(2), "big") or 65536
        f.seek((page - 1) * page_size)
        f.write(rng.randbytes(page_size))


def _wait_for_session(proc, timeout_s: float = 30.0) -> None:
    """Until the run's log says a session started (or it ended, or `timeout_s` passed)."""
    deadline = time.monotonic() + timeout_s
    while (time.monotonic() < deadline and proc.running
           and "] session: " not in proc.log_path.read_text(errors="replace")):
        time.sleep(0.05)
