"""Session history on the device: SQLite under the state directory.

Tables: `profile` (the user's maximal lift per day, so later sessions that day skip
calibration), `setting` (choices made on the device: language, volume, programme), `session`, `rep` (one row per finished repetition, committed the moment
it is scored) and `event` (the analysis events of a session). The database runs in WAL
mode with `synchronous=FULL`: a power cut mid-session loses nothing already committed,
so every finished rep survives. Each session's v1 recording is kept gzip-compressed in
`recordings/`.

A commit with its fsync takes milliseconds on an SD card, so every write is a job for
the device's `Writer` thread (its own connection there), in order: a rep is committed
as soon as the writer gets to it, well within a second of being scored. Reads run at
once on the caller's connection and see what has been committed; `drain()` waits for
what was asked.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from device.writer import StorageError, Writer
from session.coach import RepScore

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS profile (
    day TEXT PRIMARY KEY,
    max_drop_kpa REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS session (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    program TEXT NOT NULL,
    persona TEXT,
    completed INTEGER NOT NULL DEFAULT 0,
    duration_s REAL,
    summary_json TEXT,
    recording TEXT
);
CREATE TABLE IF NOT EXISTS rep (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session(id),
    series INTEGER NOT NULL,
    rep INTEGER NOT NULL,
    contraction_score REAL,
    relaxation_score REAL,
    detail_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session(id),
    kind TEXT NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL,
    detected_at_s REAL NOT NULL,
    metrics_json TEXT NOT NULL
);
"""


@dataclass
class SessionRef:
    """A session being stored: `id` is set by the writer once its row exists."""

    id: int | None = None


def _connect(state_dir: Path) -> sqlite3.Connection:
    """The database in `state_dir`, created or checked; raises StorageError."""
    try:
        (state_dir / "recordings").mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(state_dir / "pftrainer.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(f"{state_dir}: database is from a newer pftrainer "
                               f"(schema {version}); refusing to touch it")
        with db:
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db
    except sqlite3.DatabaseError as e:
        raise StorageError(f"{state_dir / 'pftrainer.db'}: {e}") from e
    except OSError as e:
        if isinstance(e, StorageError):
            raise
        raise StorageError(f"{state_dir}: cannot use the state directory: {e.strerror}") from e


def _connect_read_only(state_dir: Path) -> sqlite3.Connection:
    """The database in `state_dir` for reading only: nothing in the folder is created or
    changed, so a copy on read-only media can be read (then as an unchanging file)."""
    path = (state_dir / "pftrainer.db").resolve()
    last_error: sqlite3.DatabaseError | None = None
    for mode in ("mode=ro", "mode=ro&immutable=1"):       # immutable: no -wal/-shm can be made there
        try:
            db = sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StorageError(f"{state_dir}: database is from a newer pftrainer (schema {version})")
            return db
        except sqlite3.DatabaseError as e:
            last_error = e
    raise StorageError(f"{path}: {last_error}")


class Store:
    """The history in `state_dir`. Writes go through `writer` (shared with the session's
    files, so that they stay in order); without one the store starts its own. A
    `read_only` store (history, report) writes nothing, not even to the folder."""

    def __init__(self, state_dir: Path, writer: Writer | None = None, *, read_only: bool = False) -> None:
        self.state_dir = Path(state_dir)
        self.recordings_dir = self.state_dir / "recordings"
        self.read_only = read_only
        self.db = _connect_read_only(self.state_dir) if read_only else _connect(self.state_dir)
        self._own_writer = writer is None and not read_only
        self.writer = None if read_only else writer or Writer("store-writer")
        self._writer_db: sqlite3.Connection | None = None       # used on the writer's thread only

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Finish every write asked for, then close the database."""
        if self._writer_db is not None:
            self.writer.submit(self._close_writer_db)
        try:
            if self._own_writer:
                self.writer.close()
            elif self.writer is not None:
                self.writer.drain()
        finally:
            self.db.close()

    def drain(self) -> None:
        """Wait until every write asked for is on disk."""
        self.writer.drain()

    def _close_writer_db(self) -> None:
        db, self._writer_db = self._writer_db, None
        if db is not None:
            db.close()

    def _write(self, job: Callable[[sqlite3.Connection], None]) -> None:
        """Run `job(connection)` on the writer's thread, in order with everything else."""
        if self.writer is None:
            raise StorageError(f"{self.state_dir}: opened for reading only")
        def on_writer():
            if self._writer_db is None:
                self._writer_db = _connect(self.state_dir)
            job(self._writer_db)
        self.writer.submit(on_writer)

    # --- profile --------------------------------------------------------------------------
    def profile(self, day: str) -> float | None:
        row = self.db.execute("SELECT max_drop_kpa FROM profile WHERE day = ?", (day,)).fetchone()
        return row[0] if row else None

    def save_profile(self, day: str, max_drop_kpa: float) -> None:
        def job(db):
            with db:
                db.execute("INSERT OR REPLACE INTO profile (day, max_drop_kpa) VALUES (?, ?)",
                           (day, max_drop_kpa))
        self._write(job)

    # --- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: str) -> str:
        row = self.db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def save_setting(self, key: str, value: str) -> None:
        def job(db):
            with db:
                db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))
        self._write(job)

    # --- sessions ---------------------------------------------------------------------------
    def start_session(self, started_at: str, program: str, persona: str | None) -> SessionRef:
        ref = SessionRef()

        def job(db):
            with db:
                ref.id = db.execute("INSERT INTO session (started_at, program, persona) VALUES (?, ?, ?)",
                                    (started_at, program, persona)).lastrowid
        self._write(job)
        return ref

    def add_rep(self, session: SessionRef, rep: RepScore) -> None:
        """Store one finished repetition (committed as soon as the writer gets to it: it
        survives a power cut)."""
        contraction_score = None if rep.contraction is None else rep.contraction.score
        detail = json.dumps(rep.as_dict())

        def job(db):
            with db:
                db.execute(
                    "INSERT INTO rep (session_id, series, rep, contraction_score, relaxation_score, "
                    "detail_json) VALUES (?, ?, ?, ?, ?, ?)",
                    (session.id, rep.series, rep.rep, contraction_score, rep.relaxation.score, detail))
        self._write(job)

    def finish_session(self, session: SessionRef, summary, events: list[dict],
                       recording: Path, completed: bool = True) -> None:
        """Store the session's summary (a `SessionSummary`) and events and keep its recording compressed (as
        `recordings/session-NNNNN.csv.gz`); `completed` is False for a session stopped
        early (its finished reps count). Jobs that write the recording must come first."""
        rows = [(e["kind"], e["start"], e["end"], e["detected_at"],
                 json.dumps({k: v for k, v in e.items() if k not in ("kind", "start", "end", "detected_at")}))
                for e in events]
        summary_json = json.dumps(summary.as_dict())
        duration_s = summary.duration_s

        def job(db):
            target = self.recordings_dir / f"session-{session.id:05d}.csv.gz"
            _write_durably(recording, target)
            with db:
                db.executemany("INSERT INTO event (session_id, kind, start_s, end_s, detected_at_s, "
                               "metrics_json) VALUES (?, ?, ?, ?, ?, ?)",
                               [(session.id, *row) for row in rows])
                db.execute("UPDATE session SET completed = ?, duration_s = ?, summary_json = ?, "
                           "recording = ? WHERE id = ?",
                           (int(completed), duration_s, summary_json, target.name, session.id))
        self._write(job)

    def sessions(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT s.id, s.started_at, s.program, s.persona, s.completed, s.duration_s, "
            "s.summary_json, COUNT(r.id), AVG(r.contraction_score), AVG(r.relaxation_score) "
            "FROM session s LEFT JOIN rep r ON r.session_id = s.id GROUP BY s.id ORDER BY s.id"
        ).fetchall()
        out = []
        for (sid, started, program, persona, completed, duration_s, summary_json, n_reps,
             contraction, relaxation) in rows:
            summary = json.loads(summary_json) if summary_json else {}
            out.append({"id": sid, "started_at": started, "program": program, "persona": persona,
                        "completed": bool(completed), "duration_s": duration_s, "reps": n_reps,
                        "contraction_score": contraction, "relaxation_score": relaxation,
                        "power_kpa": summary.get("perfect", {}).get("power"),
                        "endurance_s": summary.get("perfect", {}).get("endurance_s"),
                        "bear_down_warnings": summary.get("bear_down_warnings")})
        return out

    def completed_on(self, day: str) -> int:
        """How many sessions were completed on `day` (YYYY-MM-DD, the device's wall clock)."""
        return self.db.execute("SELECT COUNT(*) FROM session WHERE completed = 1 AND started_at LIKE ?",
                               (day + "%",)).fetchone()[0]

    def integrity(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]


def _write_durably(recording: Path, target: Path) -> None:
    """`recording` compressed to `target`, on the SD card before anything points at it: written
    under a temporary name, synced, renamed, and the folder synced (a crash leaves either no
    file or a whole one). The gzip header carries no time: a wall clock before 1970 or after
    2106 cannot break it."""
    part = target.with_name(target.name + ".part")
    with open(recording, "rb") as src, open(part, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, filename="", mtime=0) as dst:
            shutil.copyfileobj(src, dst)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(part, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
