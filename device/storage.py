"""Session history on the device: SQLite in the state directory (see `device.layout`).

Tables: `profile` (the user's maximal lift per day, so later sessions that day skip
calibration), `setting` (choices made on the device: language, volume, programme),
`session`, `rep` (one row per finished repetition, committed as soon as it is scored)
and `event` (the analysis events of a session). WAL mode with `synchronous=FULL`: a
power cut loses nothing already committed. Each session's v1 recording is kept
gzip-compressed in `recordings/`, with its summary (every rep) beside it, from which the
history is rebuilt when the database is damaged. A space reserve (`device.reserve`)
keeps room for the database rows when the disk fills up.

Storage never stops the trainer. Every write is a job for the device's `Writer` thread
(its own connection there), in order; a job that fails -- the disk full, the database
locked by another process -- is kept and tried again with backoff while the device goes
on, and `trouble` says why meanwhile. A session's id is given out here at once, so its
folder (`sessions/session-NNNNN/`, where its files are written while it runs) and its
rows can be written whenever storage allows; once the database keeps the session and
its compressed recording, the folder goes.

A damaged database -- found on opening (`PRAGMA quick_check`) or by any read or write
later -- is moved aside, never deleted, and a fresh one started, with every row that
can still be read copied in (`device.salvage`); `replaced` says so, for the screen. On
opening, what an earlier run left unfinished is closed (`device.leftovers`). One
process writes to a state directory at a time (`pftrainer.lock`).

Reads run at once on the caller's connection. On the device a read that fails gives the
default (and sets `trouble`); a `read_only` store (history, report) refuses a damaged
database on opening (`PRAGMA quick_check`), raises StorageError on a read that fails,
and writes nothing, not even to the folder.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import functools
import json
import os
import re
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Mapping, Sequence

from device.cli_texts import cli_text
from device.config import DEFAULT_PROFILE, MAX_PROFILES, PROFILE_TEXTS
from device.history_texts import history_text
from device.layout import NUMBERING_LIMIT, StateLayout, not_a_folder
from device.sqlite_open import damaged_text, open_db
from device.leftovers import Interrupted, Leftovers, keep_files
from device.reserve import Reserve
from device.salvage import move_aside, salvage
from device.stored_values import (MOVED_SETTING, contractions_made, day, done_well_of, exhale_lifts, flag, json_object,
                                  lifts_done_well, moment, moved_key, moved_mark, number, maximum_kpa, pause_reasons,
                                  person_setting,
                                  profile_number, readable_assessment, rep_places, table, whole)
from device.writer import (DAMAGED, WAIT_LIMIT_S, DamagedDatabase, StorageError, StorageUnfinished, Trouble, Writer,
                           classify)
from session.coach import MISTAKE_KINDS, RepScore, stored_breath_judged_part, stored_breath_not_judged
from session.cues import CALIBRATE_MAX
from session.programme import Programme
from session.progression import Standing, trained_daily
from session.recording_file import header

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS maximum (
    profile INTEGER NOT NULL,
    day TEXT NOT NULL,
    max_drop_kpa REAL NOT NULL,
    PRIMARY KEY (profile, day)
);
CREATE TABLE IF NOT EXISTS session (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    program TEXT NOT NULL,
    persona TEXT,
    completed INTEGER NOT NULL DEFAULT 0,
    duration_s REAL,
    summary_json TEXT,
    recording TEXT,
    profile INTEGER NOT NULL DEFAULT 1
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
# schema 1 -> 2: people (profiles). Everything kept so far is profile 1's: its sessions, its
# daily maximum (table `profile`, by day, becomes `maximum`, by profile and day), and its
# programme and levels among the settings (`p1.` before their keys)
TABLES = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \(", SCHEMA))   # maximum, session, rep, setting, event
MIGRATE_1_TO_2 = """
ALTER TABLE session ADD COLUMN profile INTEGER NOT NULL DEFAULT 1;
CREATE TABLE IF NOT EXISTS maximum (
    profile INTEGER NOT NULL,
    day TEXT NOT NULL,
    max_drop_kpa REAL NOT NULL,
    PRIMARY KEY (profile, day)
);
INSERT OR IGNORE INTO maximum (profile, day, max_drop_kpa) SELECT 1, day, max_drop_kpa FROM profile;
DROP TABLE profile;
UPDATE setting SET key = 'p1.' || key WHERE key = 'programme' OR key LIKE 'level.%';
"""
OPEN_BUSY_S = 2.0        # opening waits this long for another process's lock (then the writer retries)
WRITE_BUSY_S = 0.1       # the writer waits this long for a lock before it backs off and retries
READ_BUSY_S = 0.05       # a read in the loop waits at most this long
LEVEL_SETTING = "level."        # p<N>.level.<programme>: N's standing in it (session.progression)
PROGRAMME_SETTING = "programme"  # p<N>.programme: N's programme trained, the menu's proposal (device.appliance)


def stopped_at_start(completed: bool, reps: int) -> bool:
    """A session whose recording holds its header and no sample, and which was interrupted
    with no rep, stopped before its first sample: nothing of it was lost (one completed, or
    with reps, lost the samples it had)."""
    return not completed and reps == 0


def _level_key(profile: int | str, programme: str) -> str:
    """The setting that keeps person `profile`'s standing in `programme`."""
    return person_setting(profile, LEVEL_SETTING + programme)
MAX_SESSION_ID = 1 << 62  # before this run's first session is known, every kept one is earlier
LOCK_WAIT_S = 0.2        # a writer starting waits this long for a reader's probe of the lock to end


def _whose(column: str = "profile") -> str:
    """SQL for whose a session is: its `column`, or DEFAULT_PROFILE where that holds no
    profile number (a damaged row, as a rebuilt one is; `stored_values.profile_number`
    reads it the same way)."""
    return (f"(CASE WHEN typeof({column}) = 'integer' AND {column} BETWEEN 1 AND {MAX_PROFILES} "
            f"THEN {column} ELSE {DEFAULT_PROFILE} END)")


@dataclass(frozen=True)
class SessionRef:
    """A session being stored: its id (given out at once), when and what, and the folder
    its files are written to while it runs."""

    id: int
    started_at: str
    program: str
    persona: str | None
    folder: Path
    profile: int = 1


@dataclass(frozen=True)
class MovedMaximum:
    """The day's maximum a session moved to another person had measured (`Store.move_session`):
    taken from its former person; `given` to the new one (False: they had their own that day)."""

    day: str
    given: bool


def _moved_from(mark, whose) -> int | None:
    """The person a session moved to `whose` was trained as, as its mark keeps it (None: not moved,
    the mark gone bad, or one of another person's: the session moved again since, by other means)."""
    kept = moved_mark(mark)
    return kept[0] if kept is not None and kept[1] == whose and kept[0] != whose else None


def calibrated(summary: dict) -> bool | None:
    """Whether the session of stored `summary` measured a maximum (its cues say so); None where
    it cannot tell (stopped before its summary was kept, or damaged)."""
    cues = summary.get("cues")
    if not isinstance(cues, list):
        return None
    return any(isinstance(cue, list) and cue[1:] == [CALIBRATE_MAX] for cue in cues)


def _measured(summary: dict, kept_kpa: float) -> bool:
    """Whether the session of stored `summary` measured the maximum kept as `kept_kpa`: it
    calibrated and the maximum it went by is that one (as the summary keeps it, to 3 decimals).
    A session stopped before its summary was kept cannot tell: no."""
    used = number(summary.get("max_drop_kpa"))
    return bool(calibrated(summary)) and used is not None and abs(used - round(kept_kpa, 3)) < 0.0005


@dataclass(frozen=True)
class Replacement:
    """A damaged database moved aside (to `aside`), a fresh one started, and the rows
    recovered from the old one, per table."""

    aside: Path
    reason: str
    recovered: dict[str, int]


def _connect(path: Path, busy_s: float) -> sqlite3.Connection:
    db = open_db(path, timeout=busy_s)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
    except UnicodeDecodeError as e:                  # the schema's text damaged
        db.close()
        raise damaged_text(e) from e
    except BaseException:
        db.close()
        raise
    return db


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a database of a newer pftrainer; create the tables where they are missing."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StorageError(f"{path}: database is from a newer pftrainer (schema {version}); refusing to touch it")
    if version < SCHEMA_VERSION:
        has_tables = db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        script = "" if _made_by_schema(db) else MIGRATE_1_TO_2 if version == 1 and has_tables else SCHEMA
        try:                             # all of it or nothing: a cut-off migration leaves schema 1
            db.executescript(f"BEGIN; {script} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _damage(db: sqlite3.Connection) -> str | None:
    """What `PRAGMA quick_check` finds wrong with the database of `db`, or a table or column of the
    schema it was made with that is missing; None if nothing."""
    try:
        result = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            return result
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None                  # not made yet, or made by another pftrainer: `_prepare` decides
        have = {name for name, in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as e:
        if classify(e).kind != DAMAGED:
            raise
        return str(e)
    except UnicodeDecodeError as e:
        return str(damaged_text(e))
    missing = [name for name in TABLES if name not in have]
    if missing:
        return cli_text("table_missing", "en", table=missing[0])
    # a column's name gone bad (a byte of the schema's text): quick_check passes, and every read and
    # write of it failed, for good (a review)
    for name, columns in _columns().items():
        have_columns = {row[1] for row in db.execute(f"PRAGMA table_info({name})")}
        lacks = [column for column in columns if column not in have_columns]
        if lacks:
            return f"malformed database schema: table {name} has no column {lacks[0]}"
    return None


def _made_by_schema(db: sqlite3.Connection) -> bool:
    """Every table and column SCHEMA makes is there already: a database of this schema whose
    version number was lost or set back (a fault campaign: `user_version` 1 on these tables made
    every start migrate them again, fail, and store nothing, for good) needs only its number."""
    for name, columns in _columns().items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({name})")}
        if not have or not have.issuperset(columns):
            return False
    return True


@functools.cache
def _columns() -> dict[str, tuple[str, ...]]:
    """Each table's columns, as SCHEMA makes them."""
    made = sqlite3.connect(":memory:")
    try:
        made.executescript(SCHEMA)
        return {table: tuple(row[1] for row in made.execute(f"PRAGMA table_info({table})")) for table in TABLES}
    finally:
        made.close()


def _damaged(path: Path, reason: str) -> DamagedDatabase:
    """The error a reader stops with on a damaged database (quick_check's report is several lines)."""
    return DamagedDatabase(path, " ".join(reason.replace("*** in database main ***", "").split()))


def _connect_read_only(state_dir: Path) -> sqlite3.Connection:
    """The database in `state_dir` for reading only: nothing in the folder is created or
    changed, so a copy on read-only media can be read. Without a write-ahead log beside
    it (nobody writes it now) or where none can be made, it is read as an unchanging file
    (a reader would otherwise make the log and its index). Checked whole first (`PRAGMA
    quick_check`): a damaged page that a reader would not touch, or only half-way
    through its output, is found before anything is read."""
    path = StateLayout(state_dir).database.resolve()
    last_error: sqlite3.DatabaseError | None = None
    logged = path.with_name(path.name + "-wal").exists()
    for mode in ("mode=ro", "mode=ro&immutable=1")[0 if logged else 1:]:
        db = None
        try:
            db = open_db(f"{path.as_uri()}?{mode}", uri=True)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StorageError(f"{state_dir}: database is from a newer pftrainer (schema {version})")
            damage = _damage(db)
            if damage is not None:
                raise _damaged(path, damage)
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session'").fetchone() is None:
                raise StorageError(f"{path}: holds no pftrainer history (an empty database, or not pftrainer's)")
            return db
        except sqlite3.DatabaseError as e:
            last_error = e
        except StorageError:
            db.close()
            raise
        if db is not None:
            db.close()
    if classify(last_error).kind == DAMAGED:
        raise _damaged(path, str(last_error))
    raise StorageError(f"{path}: {last_error}")


def glance_setting(state_dir: Path, key: str) -> str | None:
    """The setting `key` kept in `state_dir`'s database, read at a glance: nothing in the
    folder is created or changed, no lock is taken or waited for and nothing is checked
    (opened as an unchanging file, `immutable=1`, with no busy timeout), so a refusal can
    choose its language as quickly as it is made, beside a running device. A setting still
    in the write-ahead log is not seen (one a moment stale); None where none can be read,
    for any reason."""
    try:
        path = StateLayout(state_dir).database.resolve()
        if not path.is_file():
            return None
        db = open_db(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, timeout=0)
        try:
            row = db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            db.close()
    except (OSError, ValueError, sqlite3.Error):
        return None
    return row[0] if row is not None and isinstance(row[0], str) else None


def _whose_text(profile: int | str) -> str:
    """Whose a setting restored after a damaged database is, for the log ("" for the first person)."""
    return "" if str(profile) == str(DEFAULT_PROFILE) else f" (profile {profile})"


def _level_text(program: str, level: int, programmes: Mapping[str, Programme]) -> str:
    """A level as kept (counted from the start level), for the log: as `history` and the screen tell it
    (*basis 3 of 8*); as kept where the programme's ladder is not known here."""
    programme = programmes.get(program)
    if programme is None or not programme.levels:
        return f"{program} level {level} as kept (counted from its start level: its ladder is not known here)"
    return history_text("level_of", "en", name=program, level=programme.level_number(level),
                        count=programme.level_count)


def _restore_levels(db: sqlite3.Connection, layout: StateLayout, programmes: Mapping[str, Programme],
                    log: Callable[[str], None]) -> None:
    """After a damaged database: each person's level in each programme the settings lost,
    from the newest recording of it (`# level=`; the runs of good and poor sessions at it
    start again)."""
    newest: dict[tuple[str, str], int] = {}
    for sid in sorted(layout.recording_files()):
        meta = header(layout.recording(sid))
        level = Programme.level_kept(meta)
        if meta.get("program") and level is not None:
            newest[(meta.get("profile", str(DEFAULT_PROFILE)), meta["program"])] = level
    restored = []
    with db:
        for (profile, program), level in newest.items():
            if db.execute("INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
                          (_level_key(profile, program), Standing(level).to_text())).rowcount:
                restored.append(_level_text(program, level, programmes) + _whose_text(profile))
    if restored:
        log(f"storage: levels taken from the recordings: {', '.join(restored)}")


def _restore_programmes(db: sqlite3.Connection, programmes: Mapping[str, Programme],
                        log: Callable[[str], None]) -> None:
    """After a damaged database: each person's programme trained (the menu proposes it) that the
    settings lost, from the sessions kept: that of their newest session of a programme trained
    (`trained_daily`) -- without it the menu proposed a newcomer's `voelen` to a patient on `basis`
    (trial93)."""
    newest: dict[int, str] = {}
    for profile, program in db.execute(f"SELECT {_whose()}, program FROM session ORDER BY id DESC"):
        if profile not in newest and isinstance(program, str) and trained_daily(program, programmes.get(program)):
            newest[profile] = program
    restored = []
    with db:
        for profile, program in sorted(newest.items()):
            if db.execute("INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
                          (person_setting(profile, PROGRAMME_SETTING), program)).rowcount:
                restored.append(program + _whose_text(profile))
    if restored:
        log(f"storage: the programme trained taken from the sessions kept: {', '.join(restored)}")


def _check_writable(layout: StateLayout, lock: IO) -> None:
    """Refuse, before any training, a state directory whose folders or database this process may
    not write (a permission, not a read-only mount: SQLite opens such a database read-only without a
    word, and a whole session was coached before its storage failed, a fault campaign)."""
    database = layout.database
    for path in (layout.root, layout.recordings, layout.sessions, database,
                 *(database.with_name(database.name + side) for side in ("-wal", "-shm"))):
        if path.exists() and not os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0)):
            lock.close()
            raise StorageError(f"{path}: cannot use the state directory: {os.strerror(errno.EACCES)} "
                               f"(this user may not write {'in it' if path.is_dir() else 'it'})")


class StateDirBusy(StorageError):
    """Another pftrainer writes in the state directory (holds its lock): it may let go."""


def _lock(layout: StateLayout) -> IO:
    """The state directory's folders made, and its lock taken (StateDirBusy if another
    process holds it)."""
    try:
        for folder in (layout.root, layout.recordings, layout.sessions):
            folder.mkdir(parents=True, exist_ok=True)
        lock = open(layout.lock, "a")
    except IsADirectoryError as e:                            # a folder where the lock file must be
        raise StorageError(f"{layout.lock}: a folder where pftrainer keeps its lock file: "
                           f"move it away") from e
    except (FileExistsError, NotADirectoryError) as e:       # a file where a folder must be
        blocked = Path(e.filename) if e.filename else layout.root
        raise StorageError(f"{blocked}: cannot use the state directory: {not_a_folder(blocked)('en')}") from e
    except OSError as e:
        raise StorageError(f"{layout.root}: cannot use the state directory: {e.strerror}") from e
    _check_writable(layout, lock)
    deadline_s = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except OSError as e:              # a writer, or for an instant a reader's probe (`_writing`)
            if not isinstance(e, BlockingIOError) or time.monotonic() >= deadline_s:
                lock.close()
                raise StateDirBusy(f"{layout.root}: another pftrainer is writing there") from None
            time.sleep(0.01)


def _writing(layout: StateLayout) -> bool:
    """Whether a pftrainer writes in the state directory now: it holds `pftrainer.lock`.
    Probed with a shared lock taken and given back at once (a writer starting in that
    instant waits for it, `_lock`); nothing is created."""
    try:
        lock = open(layout.lock, "rb")
    except OSError:                       # none: nobody has written here
        return False
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as e:              # held: a writer; cannot be locked here (read-only media): none
            return e.errno in (errno.EAGAIN, errno.EWOULDBLOCK)
        fcntl.flock(lock, fcntl.LOCK_UN)
    return False


def _say(message: str) -> None:
    print(f"  {message}", file=sys.stderr)


def _keep_session(db: sqlite3.Connection, session: SessionRef) -> None:
    """The session's row, if the database has not got it yet (a fresh one after damage)."""
    db.execute("INSERT OR IGNORE INTO session (id, started_at, program, persona, profile) VALUES (?, ?, ?, ?, ?)",
               (session.id, session.started_at, session.program, session.persona, session.profile))


def _score(summed_up, mean_of_rows) -> float | None:
    """A session's score as its summary gave it (what `sim` and the device printed), else --
    a session killed before its end -- the mean of its stored repetitions' to one decimal."""
    score, mean = number(summed_up), number(mean_of_rows)
    return score if score is not None or mean is None else round(mean, 1)


class Store:
    """The history in `state_dir`. Writes go through `writer` (shared with the session's
    files, so that they stay in order); without one the store starts its own. `log`
    hears what the store did on its own (a database replaced, a session closed).
    `programmes`: the device's, by name, for what a damaged database's renewal restores (each
    person's programme trained, their levels as users see them); a programme not among them is
    known by its name alone."""

    def __init__(self, state_dir: Path, writer: Writer | None = None, *, read_only: bool = False,
                 log: Callable[[str], None] = _say, programmes: Mapping[str, Programme] | None = None) -> None:
        self.layout = StateLayout(Path(state_dir))
        self.state_dir = self.layout.root
        if self.layout.database.exists() and not self.layout.database.is_file():   # told now, not after a session
            raise StorageError(f"{self.layout.database}: is not a file (the history's database is kept "
                               "there): move it away")
        self.recordings_dir = self.layout.recordings
        self.read_only = read_only
        self.log = log
        self.programmes = programmes or {}
        self.replaced: Replacement | None = None
        self.interrupted: tuple[Interrupted, ...] = ()     # what the tidying found stopped mid-way, once done
        self._read_trouble: Trouble | None = None
        self._generation = self._read_generation = 0       # the database started afresh how often
        self._first_new: int | None = None                   # the first session id of this run
        self._completing: dict[int, tuple[SessionRef, dict]] = {}   # completed, their rows not committed yet (and
                                                                     # their summaries)
        if read_only:
            self.writer = None
            self.db: sqlite3.Connection | None = _connect_read_only(self.state_dir)
            self.writing = _writing(self.layout)
            return
        self._lock = _lock(self.layout)
        self.writing = True               # this store is the writer: its unfinished session is running
        self._own_writer = writer is None
        self.writer = writer or Writer("store-writer")
        self._writer_db: sqlite3.Connection | None = None     # used on the writer's thread only
        self.db = self._open()
        layout = self.layout
        numbered = (*layout.session_folders(), *layout.recording_files(), *layout.half_written())
        self._next_id = 1 + max([self._last_session_id(), *(n for n in numbered if n < NUMBERING_LIMIT)])
        first_new = self._first_new = self._next_id
        self.writer.keep_reserve(Reserve(layout.reserve))
        self._write(lambda db: self._tidy(Leftovers(db, layout, first_new, self.log)))

    def _tidy(self, leftovers: Leftovers) -> None:
        """On the writer's thread: close what an earlier run left unfinished, and say which
        sessions it stopped in."""
        leftovers.tidy()
        self.interrupted = tuple(leftovers.interrupted)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def trouble(self) -> Trouble | None:
        """Why the history cannot be written (or read) just now; None when all is well."""
        return (self.writer.trouble if self.writer is not None else None) or self._read_trouble

    def close(self, timeout_s: float | None = WAIT_LIMIT_S) -> None:
        """Finish every write asked for, then close the database; StorageUnfinished when
        storage still fails after `timeout_s` (what waits is lost, but for the session
        folders, which the next start closes)."""
        try:
            if self.writer is not None:
                self.writer.submit(self._close_writer_db, database=True, after_files=True)     # the last
                if self._own_writer:
                    self.writer.close(timeout_s)
                else:
                    self.writer.drain(timeout_s)
                self._lock.close()
        finally:
            if self.db is not None:
                self.db.close()

    def drain(self, timeout_s: float | None = WAIT_LIMIT_S) -> None:
        """Wait until every write asked for is on disk (see `Writer.drain`)."""
        self.writer.drain(timeout_s)

    # --- the database file ------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection | None:
        """Open the database for reading on this thread: checked, replaced if damaged, the
        tables made. Locked or full: None, and the writer makes the tables when it can."""
        path = self.layout.database
        try:
            try:
                db = _connect(path, OPEN_BUSY_S)
                damage = _damage(db)
                if damage is not None:
                    db.close()
            except sqlite3.DatabaseError as e:
                if classify(e).kind != DAMAGED:
                    raise
                damage = str(e)                          # not even a database
            if damage is not None:
                db = self._start_afresh(damage)
            _prepare(db, path)
        except sqlite3.Error as e:
            self._read_trouble = classify(e)
            self.log(f"storage: {path}: {e}; the history is written as soon as it can be")
            return None
        except OSError as e:
            if isinstance(e, StorageError):
                raise
            raise StorageError(f"{self.state_dir}: cannot use the state directory: {e.strerror}") from e
        self._read_generation = self._generation
        return db

    def _start_afresh(self, reason: str) -> sqlite3.Connection:
        """Move the damaged database aside, start a fresh one and copy into it what can be
        read of the old one; returns a connection to the fresh one, for this thread."""
        path = self.layout.database
        reason = " ".join(reason.split())                  # quick_check's report is several lines
        aside = move_aside(path)
        self.log(f"storage: {path.name} is damaged ({reason}): moved aside as {aside.name}, a fresh one "
                 "started")                            # (the cause before what the rebuild says)
        db = _connect(path, OPEN_BUSY_S)
        _prepare(db, path)
        recovered = salvage(aside, db)
        self.log(f"storage: recovered from {aside.name}: {recovered['session']} sessions, {recovered['rep']} reps, "
                 f"{recovered['setting']} settings")
        below_id = self._first_new if self._first_new is not None else MAX_SESSION_ID
        Leftovers(db, self.layout, below_id, self.log).rebuild()
        _restore_programmes(db, self.programmes, self.log)
        _restore_levels(db, self.layout, self.programmes, self.log)
        self._generation += 1
        self.replaced = Replacement(aside, reason, recovered)
        return db

    def _last_session_id(self) -> int:
        rows = self._query("SELECT MAX(id) FROM session", default=[(None,)])
        return rows[0][0] or 0

    def _reader(self) -> sqlite3.Connection:
        """This thread's connection, opened again when the database was started afresh."""
        if self.db is None or self._read_generation != self._generation:
            if self.db is not None:
                self.db.close()
                self.db = None
            self.db = open_db(self.layout.database, timeout=READ_BUSY_S)
            self._read_generation = self._generation
        return self.db

    def _query(self, sql: str, params: tuple = (), *, default: list) -> list:
        try:
            rows = self._reader().execute(sql, params).fetchall()
        except sqlite3.Error as e:
            if self.read_only:
                if classify(e).kind == DAMAGED:
                    raise _damaged(self.layout.database, str(e)) from e
                raise StorageError(f"{self.layout.database}: {e}") from e
            self._read_trouble = classify(e)
            if self._read_trouble.kind == DAMAGED:
                self._write(self._replace_if_damaged)
            return default
        self._read_trouble = None
        return rows

    # --- the writer's side ------------------------------------------------------------------
    def _writer_connection(self) -> sqlite3.Connection:
        if self._writer_db is None:
            db = _connect(self.layout.database, WRITE_BUSY_S)
            try:
                _prepare(db, self.layout.database)
            except BaseException:
                db.close()
                raise
            self._writer_db = db
        return self._writer_db

    def _close_writer_db(self) -> None:
        db, self._writer_db = self._writer_db, None
        if db is not None:
            db.close()

    def _replace_if_damaged(self, db: sqlite3.Connection) -> None:
        damage = _damage(db)
        if damage is not None:
            self._close_writer_db()
            self._writer_db = self._start_afresh(damage)

    def _write(self, job: Callable[[sqlite3.Connection], None], *, after_files: bool = False) -> None:
        """Run `job(connection)` on the writer's thread (`after_files`: after every file
        job asked for before it); on a damaged database, again on the fresh one."""
        if self.writer is None:
            raise StorageError(f"{self.state_dir}: opened for reading only")

        def on_writer():
            try:
                job(self._writer_connection())
            except sqlite3.DatabaseError as e:
                if classify(e).kind != DAMAGED:
                    raise
                self._close_writer_db()
                self._writer_db = self._start_afresh(str(e))
                job(self._writer_db)
        self.writer.submit(on_writer, database=True, after_files=after_files)

    # --- profile --------------------------------------------------------------------------
    def maximum(self, day: str, profile: int = 1) -> float | None:
        """`profile`'s maximum measured on `day`, if one was."""
        rows = self._query("SELECT max_drop_kpa FROM maximum WHERE profile = ? AND day = ?", (profile, day), default=[])
        return rows[0][0] if rows else None

    def last_maximum(self, before_day: str, profile: int = 1, since_day: str = "") -> float | None:
        """`profile`'s maximum measured last before `before_day` (YYYY-MM-DD), on `since_day` or
        later, that is a lift (`stored_values.maximum_kpa`: a damaged cell is passed over, not the
        end of them), if one was."""
        rows = self._query("SELECT max_drop_kpa FROM maximum WHERE profile = ? AND day < ? AND day >= ? "
                           "ORDER BY day DESC", (profile, before_day, since_day), default=[])
        return next((kpa for (value,) in rows if (kpa := maximum_kpa(value)) is not None), None)

    def save_maximum(self, day: str, max_drop_kpa: float, profile: int = 1) -> None:
        """`profile`'s maximum measured on `day` (reused by that day's later sessions)."""
        def job(db):
            with db:
                db.execute("INSERT OR REPLACE INTO maximum (profile, day, max_drop_kpa) VALUES (?, ?, ?)",
                           (profile, day, max_drop_kpa))
        self._write(job)

    def move_session(self, session_id: int, to_profile: int,
                     standing: tuple[str, Standing] | None = None) -> MovedMaximum | None:
        """Session `session_id` (kept) is `to_profile`'s: somebody trained it as another person
        (trial88: a wife on her husband's profile, and his next end screen compared his lift with
        hers). The day's maximum kept for its former person, where it is the one this session
        measured, is theirs no more (their later sessions that day measure their own), and becomes
        `to_profile`'s where they have none kept that day (one they measured themselves stays, and
        is not taken back by moving the session back: a review). `standing`: the former person's
        standing in a programme as it is without the session, kept in the same transaction (a stop
        between the two left a level changed for a session not moved). Returns what became of that
        maximum, or None."""
        (kept_as, started, summary_json, recording), = self._query(
            "SELECT profile, started_at, summary_json, recording FROM session WHERE id = ?", (session_id,), default=[])
        who = profile_number(kept_as)        # whose, as every reader takes it (a number gone bad: the first's)
        trained_as = self._whom_trained(recording, moved_mark(self.setting(moved_key(session_id), "")), who)
        that_day = day(started)
        kept = None if that_day is None else self.maximum(that_day.isoformat(), who)
        moved = None
        if kept is not None and _measured(json_object(summary_json) or {}, kept):
            moved = MovedMaximum(that_day.isoformat(), self.maximum(that_day.isoformat(), to_profile) is None)

        def job(db):
            with db:
                db.execute("UPDATE session SET profile = ? WHERE id = ?", (to_profile, session_id))
                # whom it was trained as and whose it is now: kept until it is theirs again (a session rebuilt
                # from its recording, whose header names whom it was trained as, goes by it: a review)
                key = moved_key(session_id)
                if trained_as == to_profile:
                    db.execute("DELETE FROM setting WHERE key = ?", (key,))
                else:
                    db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                               (key, f"{trained_as}:{to_profile}"))
                if moved is not None:
                    if moved.given:
                        db.execute("INSERT INTO maximum (profile, day, max_drop_kpa) VALUES (?, ?, ?)",
                                   (to_profile, moved.day, kept))
                    db.execute("DELETE FROM maximum WHERE profile = ? AND day = ?", (who, moved.day))
                if standing is not None:
                    db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                               (_level_key(who, standing[0]), standing[1].to_text()))
        self._write(job)
        return moved

    def trained_as(self, session_id: int) -> int | None:
        """Whom kept session `session_id` was trained as (`_whom_trained`), None where it is not kept."""
        rows = self._query("SELECT profile, recording FROM session WHERE id = ?", (session_id,), default=[])
        if not rows:
            return None
        (kept_as, recording), = rows
        return self._whom_trained(recording, moved_mark(self.setting(moved_key(session_id), "")),
                                profile_number(kept_as))

    def _whom_trained(self, recording, mark: tuple[int, int] | None, whose: int) -> int:
        """Whom a session was trained as: as its recording's header names them (a mark gone bad, moved
        back, made person 1's own session read *(getraind als persoon 2)*: a fault campaign), else as
        its `mark` keeps it, else `whose`, the person it is kept for."""
        if isinstance(recording, str):
            with contextlib.suppress(OSError):
                named = header(self.recordings_dir / recording).get("profile")
                if named in PROFILE_TEXTS:
                    return int(named)
        return whose if mark is None else mark[0]

    # --- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: str) -> str:
        rows = self._query("SELECT value FROM setting WHERE key = ?", (key,), default=[])
        return rows[0][0] if rows else default

    def save_setting(self, key: str, value: str) -> None:
        def job(db):
            with db:
                db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))
        self._write(job)

    def standing(self, programme: str, profile: int = 1) -> Standing:
        """`profile`'s level in `programme` (1, its start level, when none is kept or it cannot be read)."""
        return Standing.from_text(self.setting(_level_key(profile, programme), ""))

    def save_standing(self, programme: str, standing: Standing, profile: int = 1) -> None:
        self.save_setting(_level_key(profile, programme), standing.to_text())

    # --- sessions ---------------------------------------------------------------------------
    def start_session(self, started_at: str, program: str, persona: str | None, profile: int = 1) -> SessionRef:
        """A new session of `profile`, its id given out at once (its row is written when it can be)."""
        if self.writer is None:
            raise StorageError(f"{self.state_dir}: opened for reading only")
        session = SessionRef(self._next_id, started_at, program, persona, self.layout.session_folder(self._next_id),
                             profile)
        self._next_id += 1

        def job(db):
            with db:
                _keep_session(db, session)
        self._write(job)
        return session

    def add_rep(self, session: SessionRef, rep: RepScore) -> None:
        """Store one finished repetition (committed as soon as the writer can: it survives
        a power cut)."""
        contraction_score = None if rep.contraction is None else rep.contraction.score
        detail = json.dumps(rep.as_dict())

        def job(db):
            with db:
                _keep_session(db, session)
                db.execute(
                    "INSERT INTO rep (session_id, series, rep, contraction_score, relaxation_score, "
                    "detail_json) VALUES (?, ?, ?, ?, ?, ?)",
                    (session.id, rep.series, rep.rep, contraction_score, rep.relaxation.score, detail))
        self._write(job)

    def finish_session(self, session: SessionRef, summary, events: list[dict],
                       recording: Path, completed: bool = True, reps: Sequence[RepScore] = ()) -> None:
        """Store the session's summary (a `SessionSummary`) and events at once, and keep its
        recording compressed with the summary beside it (`recordings/session-NNNNN.csv.gz`
        and `.summary.json`, on the SD card before the row names them); `completed` is
        False for a session stopped early (its finished reps count). `reps`: each stored rep as
        the session ended, its row rewritten (a held breath judged as a hold was let go, in the
        step after it, changes a rep already stored). Jobs that write the recording must come
        first."""
        rows = [(e["kind"], e["start"], e["end"], e["detected_at"],
                 json.dumps({k: v for k, v in e.items() if k not in ("kind", "start", "end", "detected_at")}))
                for e in events]
        summary_dict = summary.as_dict()
        summary_json = json.dumps(summary_dict)
        duration_s = summary.duration_s
        revised = [(None if rep.contraction is None else rep.contraction.score, rep.relaxation.score,
                    json.dumps(rep.as_dict())) for rep in reps]
        places = rep_places((rep.series, rep.rep) for rep in reps)
        target = self.layout.recording(session.id)
        move = recording.parent == session.folder          # not from a folder the user chose
        self.writer.submit(lambda: keep_files(self.layout, session.id, summary_dict, recording, move=move),
                           files=(self.layout.kept_summary(session.id), target))

        def store_summary(db):
            with db:
                _keep_session(db, session)
                db.executemany("INSERT INTO event (session_id, kind, start_s, end_s, detected_at_s, "
                               "metrics_json) VALUES (?, ?, ?, ?, ?, ?)",
                               [(session.id, *row) for row in rows])
                db.execute("UPDATE session SET completed = ?, duration_s = ?, summary_json = ? WHERE id = ?",
                           (int(completed), duration_s, summary_json, session.id))
                stored = db.execute("SELECT id, series, rep FROM rep WHERE session_id = ? ORDER BY id",
                                    (session.id,)).fetchall()
                row_of = dict(zip(rep_places((series, rep) for _, series, rep in stored), (row for row, *_ in stored)))
                db.executemany("UPDATE rep SET contraction_score = ?, relaxation_score = ?, detail_json = ? "
                               "WHERE id = ?", [(*values, row_of[place]) for values, place in zip(revised, places)
                                                if place in row_of])
            self._completing.pop(session.id, None)
        if completed:
            self._completing[session.id] = (session, summary_dict)

        def name_recording(db):
            with db:
                _keep_session(db, session)
                db.execute("UPDATE session SET recording = ? WHERE id = ?", (target.name, session.id))
        self._write(store_summary)
        self._write(name_recording, after_files=True)

    def retire(self, session: SessionRef) -> None:
        """Remove the session's folder once the database keeps the session and its
        recording (the cue log goes with it); until then the folder stays."""
        target = self.layout.recording(session.id)

        def job(db):
            row = db.execute("SELECT recording FROM session WHERE id = ?", (session.id,)).fetchone()
            if row is not None and row[0] == target.name and target.exists():
                shutil.rmtree(session.folder, ignore_errors=True)
        self._write(job, after_files=True)

    def sessions(self, profile: int | None = None) -> list[dict]:
        """Every session (of `profile`, or everybody's), oldest first: its scores, PERFECT
        terms and mistakes by kind (`errors_<kind>`), each None when it was not stored or
        cannot be read (`device.stored_values`), or is none in a session that scored nothing
        (stopped before its first repetition: its scores are None too) -- held breaths also when no hold lasted long
        enough for one to show (`session.coach.stored_breath_not_judged`); `holds_breath_judged`
        the holds long enough to judge the breath in (None: not kept) and `breath_judged` the same
        where fewer than the holds made, the held breaths counted only in those
        (`session.coach.stored_breath_judged_part`; else None); `day` is its start's date (None likewise);
        `lifts_on_exhale` and `lifts_timed` its lifts begun on the exhale of those timed
        (`stored_values.exhale_lifts`; both None: not kept);
        `pauses` why each of its pauses began (`stored_values.pause_reasons`; None: not kept);
        `trained_as` the person it was trained as where it was moved to another (`move_session`; else None);
        `let_go_judged` the repetitions whose letting go was judged, which `errors_not_let_go` counts in
        (`_let_go_judged`; None with that count, or where it is not known); `in_progress` says an
        unfinished one is being written now (by the process that holds the lock; once none does,
        it is one the next start closes as interrupted);
        `reps` its scored repetitions, `contractions` those that were lifts made
        (`stored_values.contractions_made`: what training is counted in), `reps_good` the lifts done well, as its
        end screen said them (`stored_values.lifts_done_well`; None also where it scored nothing), and
        `done_well_of` those of how many (`stored_values.done_well_of`)."""
        lifts: dict[int, int] = {}
        for sid, detail_json in self._query(
                "SELECT r.session_id, r.detail_json FROM rep r JOIN session s ON s.id = r.session_id "
                f"WHERE ? IS NULL OR {_whose('s.profile')} = ?", (profile, profile), default=[]):
            lifts[sid] = lifts.get(sid, 0) + contractions_made(detail_json)
        rows = self._query(
            "SELECT s.id, s.started_at, s.program, s.persona, s.completed, s.duration_s, "
            "s.summary_json, COUNT(r.id), AVG(r.contraction_score), AVG(r.relaxation_score), s.profile, "
            "s.recording, COUNT(r.relaxation_score) "
            f"FROM session s LEFT JOIN rep r ON r.session_id = s.id WHERE ? IS NULL OR {_whose('s.profile')} = ? "
            "GROUP BY s.id ORDER BY s.id", (profile, profile), default=[])
        marks = dict(self._query("SELECT key, value FROM setting WHERE key LIKE ?", (MOVED_SETTING + "%",), default=[]))
        out = []
        for (sid, started, program, persona, completed, duration_s, summary_json, n_reps,
             contraction, relaxation, who, recording, relaxations) in rows:
            summary = json_object(summary_json) or {}
            errors, perfect = table(summary.get("errors")), table(summary.get("perfect"))
            mistakes = {f"errors_{kind}": whole(errors.get(kind)) for kind in MISTAKE_KINDS}
            if stored_breath_not_judged(summary):
                mistakes["errors_breath_hold"] = None      # no hold long enough to tell: not judged
            on_exhale, timed = exhale_lifts(summary) or (None, None)
            contraction = _score(summary.get("contraction_score"), contraction)
            relaxation = _score(summary.get("relaxation_score"), relaxation)
            scored = contraction is not None or relaxation is not None
            if not scored:                                     # stopped before it scored: no count of none
                mistakes = {key: n or None for key, n in mistakes.items()}
            out.append({"id": sid, "started_at": str(started), "day": day(started), "program": str(program),
                        "persona": persona, "profile": profile_number(who), "completed": bool(completed),
                        "in_progress": self.writing and summary_json is None and recording is None,
                        "duration_s": number(duration_s), "reps": n_reps, "contractions": lifts.get(sid, 0),
                        "reps_good": lifts_done_well(summary) if scored else None,
                        "done_well_of": done_well_of(summary) if scored else None,
                        "contraction_score": contraction, "relaxation_score": relaxation,
                        "power_kpa": number(perfect.get("power")),
                        "power_pct_max": number(perfect.get("power_pct_max")),
                        "endurance_s": number(perfect.get("endurance_s")),
                        "asks_maximal": flag(summary.get("asks_maximal")),
                        "bear_down_warnings": whole(summary.get("bear_down_warnings")),
                        **mistakes, "let_go_judged": _let_go_judged(summary, relaxations, mistakes["errors_not_let_go"]),
                        "breath_judged": stored_breath_judged_part(summary),
                        "holds_breath_judged": whole(summary.get("holds_breath_judged")),
                        "lifts_on_exhale": on_exhale, "lifts_timed": timed, "pauses": pause_reasons(summary),
                        "trained_as": _moved_from(marks.get(moved_key(sid)), profile_number(who))})
        return out

    def maxima(self, profile: int | None = None) -> list[dict]:
        """Every stored daily maximum (of `profile`, or everybody's), oldest first: `profile`,
        `day` (YYYY-MM-DD) and `max_drop_kpa`."""
        rows = self._query("SELECT profile, day, max_drop_kpa FROM maximum WHERE ? IS NULL OR profile = ? "
                           "ORDER BY day, profile", (profile, profile), default=[])
        return [{"profile": who, "day": day, "max_drop_kpa": kpa} for who, day, kpa in rows]

    def recorded(self, profile: int | None = None) -> list[dict]:
        """Every session (of `profile`, or everybody's) as an export needs it, oldest first:
        `id`, `started_at`, `program`, `completed`, `recording` (its file's name in
        `recordings/`, None while none is kept), `summary` (None when none was stored or it
        cannot be read) and `profile` (whose: `_whose`)."""
        rows = self._query(f"SELECT id, started_at, program, completed, recording, summary_json, {_whose()} "
                           f"FROM session WHERE ? IS NULL OR {_whose()} = ? ORDER BY id", (profile, profile),
                           default=[])
        return [{"id": sid, "started_at": str(started), "program": str(program), "completed": bool(completed),
                 "recording": recording if isinstance(recording, str) else None, "summary": json_object(summary_json),
                 "profile": who}
                for sid, started, program, completed, recording, summary_json, who in rows]

    def reps(self, session_id: int) -> list[dict]:
        """The session's scored repetitions in the order stored, each as `RepScore.as_dict`
        (`series`, `rep`, `contraction`, `relaxation`); one that cannot be read is left out."""
        rows = self._query("SELECT detail_json FROM rep WHERE session_id = ? ORDER BY id", (session_id,), default=[])
        return [rep for (detail_json,) in rows if (rep := json_object(detail_json)) is not None]

    def events(self, session_id: int) -> list[dict]:
        """The session's analysis events as `analyze --json` lists them: `kind`, `start`,
        `end` (None for one still under way), `detected_at` (seconds of its recording) and
        its metrics. A row whose kind or times cannot be read is left out (a gap)."""
        rows = self._query("SELECT kind, start_s, end_s, detected_at_s, metrics_json FROM event "
                           "WHERE session_id = ? ORDER BY id", (session_id,), default=[])
        events = [{**(json_object(metrics_json) or {}),         # its metrics never replace what is checked
                   "kind": kind, "start": number(start_s), "end": number(end_s), "detected_at": number(detected_at_s)}
                  for kind, start_s, end_s, detected_at_s, metrics_json in rows
                  if isinstance(kind, str) and number(start_s) is not None and number(detected_at_s) is not None
                  and (end_s is None or number(end_s) is not None)]
        return sorted(events, key=lambda event: event["start"])      # stable: in the order raised within a start

    def assessments(self, profile: int | None = None) -> list[dict]:
        """Every completed assessment (a `meting`) of `profile` (or everybody's) whose
        figures can be read, oldest first: the session's id, start and `day`, and the
        assessment's figures (`session.assessment.Assessment.as_dict`)."""
        return [row for row, readable in self._assessment_rows(profile) if readable]

    def damaged_assessments(self, profile: int | None = None) -> list[dict]:
        """The completed assessments whose stored figures cannot be read: `id`, `day`."""
        return [{"id": row["id"], "day": row["day"]} for row, readable in self._assessment_rows(profile)
                if not readable]

    def _assessment_rows(self, profile: int | None) -> list[tuple[dict, bool]]:
        rows = self._query("SELECT id, started_at, summary_json FROM session WHERE completed = 1 "
                           f"AND summary_json LIKE '%\"assessment\"%' AND (? IS NULL OR {_whose()} = ?) ORDER BY id",
                           (profile, profile), default=[])
        out = []
        for sid, started, summary_json in rows:
            figures = table((json_object(summary_json) or {}).get("assessment"))
            row = {**figures, "id": sid, "started_at": str(started), "day": day(started)}
            out.append((row, row["day"] is not None and readable_assessment(figures)))
        return out

    def last_end(self) -> datetime.datetime | None:
        """When the latest session kept ended (its start and length; an interrupted one
        without a length, its start), None with none: the simulator's calendar goes on
        from there, so a simulated session never lands before or inside one kept."""
        return max((end for _, end in self._spans()), default=None)

    def last_began(self) -> datetime.datetime | None:
        """When the latest session kept began; None with none (`run --sim --days-between` comes
        back at that time of day)."""
        return max((start for start, _ in self._spans()), default=None)

    def _spans(self) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """Every session kept, as (start, end): an interrupted one without a length ends as it
        began. The writes asked for come first: the start's tidy gives an interrupted session its
        length."""
        if self.writer is not None:
            with contextlib.suppress(StorageUnfinished):     # storage failing: what is there
                self.writer.drain()
        return [(start, start + datetime.timedelta(seconds=number(duration_s) or 0.0))
                for started_at, duration_s in self._query("SELECT started_at, duration_s FROM session", default=[])
                if (start := moment(started_at)) is not None]

    def last_summary(self, program: str | None, profile: int = 1) -> dict | None:
        """The stored summary (`summary.json`'s fields) of `profile`'s last completed session
        of `program` (None: of any), its row still on its way to the database too (the end
        screen of the session right after one compared with the one before it: a new user's
        trial); None when there is none, {} when it cannot be read (there was one: the end screen
        says no *Kracht: nog niets om mee te vergelijken* on the 20th
        session, a review)."""
        last = self.last_summaries(program, profile, 1)
        return last[0] if last else None

    def last_completed_programme(self, profile: int = 1) -> str | None:
        """The programme of `profile`'s last completed session (its row on its way to the database
        or not), or None."""
        # the waiting ones first: one stored in between is then in the database's
        waiting = {sid: s.program for sid, (s, _summary) in self._completing.copy().items() if s.profile == profile}
        found = dict(self._query(f"SELECT id, program FROM session WHERE completed = 1 AND {_whose()} = ? "
                                 "ORDER BY id DESC LIMIT 1", (profile,), default=[]))
        found.update(waiting)
        return found[max(found)] if found else None

    def last_summaries(self, program: str | None, profile: int = 1, count: int = 1) -> list[dict]:
        """`last_summary` of `profile`'s last `count` completed sessions of `program`, newest first."""
        # the waiting ones first: one stored in between is then in the database's
        waiting = {sid: summary for sid, (s, summary) in self._completing.copy().items()
                   if (program is None or s.program == program) and s.profile == profile}
        rows = self._query("SELECT id, summary_json FROM session WHERE (? IS NULL OR program = ?) AND completed = 1 "
                           f"AND {_whose()} = ? AND summary_json IS NOT NULL ORDER BY id DESC LIMIT ?",
                           (program, program, profile, count), default=[])
        found = {sid: json_object(text) or {} for sid, text in rows}
        found.update((sid, dict(summary)) for sid, summary in waiting.items() if sid not in found)
        return [found[sid] for sid in sorted(found, reverse=True)[:count]]

    def last_assessment_day(self, profile: int = 1) -> str | None:
        """The day (YYYY-MM-DD) of `profile`'s last completed assessment, or None."""
        rows = self.assessments(profile)
        return rows[-1]["started_at"][:10] if rows else None

    def completed_since(self, day: str, profile: int = 1) -> int:
        """How many sessions `profile` completed from `day` (YYYY-MM-DD) on, those whose rows
        are still on their way to the database too."""
        return self._completed(f"started_at >= ? AND {_whose()} = ?", (day, profile),
                               lambda s: s.started_at >= day and s.profile == profile)

    def completed_before(self, day: str, profile: int = 1) -> int:
        """How many sessions `profile` completed before `day` (YYYY-MM-DD), those whose rows are
        still on their way to the database too."""
        return self._completed(f"started_at < ? AND {_whose()} = ?", (day, profile),
                               lambda s: s.started_at < day and s.profile == profile)

    def completed_on(self, day: str, profile: int = 1) -> int:
        """How many sessions `profile` completed on `day` (YYYY-MM-DD, the device's wall clock),
        those whose rows are still on their way to the database too."""
        return self._completed(f"started_at LIKE ? AND {_whose()} = ?", (day + "%", profile),
                               lambda s: s.started_at.startswith(day) and s.profile == profile)

    def _completed(self, where: str, params: tuple, pending: Callable[[SessionRef], bool]) -> int:
        """Completed sessions as the database has them (`where`) and as this store was told of
        them, not committed yet (`pending`): a day's count a moment after a session never
        misses it (the simulator's next day came before the writer had stored it)."""
        # the waiting ones first: one stored in between is then in the database's
        waiting = {sid for sid, (s, _) in self._completing.copy().items() if pending(s)}
        stored = {row[0] for row in self._query(f"SELECT id FROM session WHERE completed = 1 AND {where}",
                                                params, default=[])}
        return len(stored | waiting)

    def integrity(self) -> str:
        return self._query("PRAGMA integrity_check", default=[("unreadable",)])[0][0]


def _let_go_judged(summary: dict, relaxations: int, not_let_go: int | None) -> int | None:
    """The repetitions whose letting go was judged (`session.coach.CoachSummary.let_go_judged`) of a
    stored session; one kept before it was, its repetitions with a relaxation score (`relaxations`);
    never fewer than not let go, and None where that count is (`errors_not_let_go`) -- or where
    neither tells (kept before, and no relaxation scored: `3/3` would say every one judged failed)."""
    if not_let_go is None:
        return None
    kept = whole(summary.get("let_go_judged"))
    if kept is None and not relaxations:
        return None
    return max(not_let_go, relaxations if kept is None else kept)
