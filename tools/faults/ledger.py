"""What a run of the device reported, against what its state directory holds.

Reported: the device's log says `session: NAME` when a session starts and
`session done: N reps` when it completes; the session in progress has its cue log in
its folder (`sessions/session-NNNNN/cues.jsonl`), where every rep shown as done is a `rep_done` line -- written
after that rep's commit, by the same writer thread. Held: the database (opened
read-only, so that looking changes nothing the next start would see) and
`recordings/`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from device.durable import whole_lines
from device.layout import LIVE_RECORDING, StateLayout
from session.recording import RecordingError, RecordingParser
from session.recording_file import blaming_damaged_gzip, text_lines

SESSION_START = re.compile(r"^\s*\[[^]]*\] session: \S+")
SESSION_DONE = re.compile(r"^\s*\[[^]]*\] session done: (\d+) reps")


@dataclass
class Reported:
    """One session as the log tells it: the reps it reported, and whether it completed."""

    reps: int = 0
    done: bool = False


def reported_sessions(log: str) -> list[Reported]:
    """The sessions a run's log started, in order, with the reps it reported for each."""
    sessions: list[Reported] = []
    for line in log.splitlines():
        if SESSION_START.match(line):
            sessions.append(Reported())
        elif (done := SESSION_DONE.match(line)) and sessions:
            sessions[-1] = Reported(int(done.group(1)), True)
    return sessions


def last_session_folder(state_dir: Path) -> Path:
    """The folder of the newest session still in `sessions/` (one that does not exist
    when there is none)."""
    folders = StateLayout(state_dir).session_folders()
    return folders[max(folders)] if folders else state_dir / "sessions" / "none"


def written_since(path: Path, since_ns: int) -> bool:
    """`path` exists and was written at or after `since_ns` (wall clock, ns)."""
    try:
        return path.stat().st_mtime_ns >= since_ns
    except FileNotFoundError:
        return False


def reps_shown(current_dir: Path) -> int:
    """The reps the session in the folder `current_dir` showed as done (its cue log's rep_done lines)."""
    shown = 0
    for line in (current_dir / "cues.jsonl").read_text(errors="replace").splitlines():
        try:
            shown += json.loads(line).get("cue") == "rep_done"
        except (ValueError, AttributeError):
            continue                 # a line cut short by the kill
    return shown


def samples_recorded(folder: Path) -> int:
    """Sample rows in the recording in the session's `folder` (0 when there is none), as
    far as it can be read."""
    try:
        text = whole_lines(folder / LIVE_RECORDING)
    except FileNotFoundError:
        return 0
    return sum(1 for line in text.splitlines() if line[:1].isdigit())


def match_sessions(log: str, started_ns: int, state_dir: Path, new_ids: list[int], *,
                   killed: bool = False) -> list[tuple[int | None, Reported]]:
    """The sessions a run reported (its log, and the cue logs it wrote), each with the
    database row it added (in order; None: no row). A session the run did not finish
    reported the reps its cue log shows as done; so did every session whose folder was not
    cleared yet when SIGKILL (`killed`) came, though it said `session done`: that line is
    printed as the last rep is handed to the writer, its `rep_done` once the rep is committed
    (a rep is durable within a second of real time, and the simulator runs a session in about
    one: the writer still busy with the last start's tidying, a session done before the one
    killed may have its rows and its folder's files still waiting; one with neither row nor
    folder then said nothing was kept). A session's folder is its row's, or -- without a row --
    the next of the folders numbered past every new row."""
    sessions = reported_sessions(log)
    folders = StateLayout(state_dir).session_folders()
    rowless = iter(sorted(i for i in folders if i > max(new_ids, default=0)))
    matched: list[tuple[int | None, Reported]] = []
    for n, session in enumerate(sessions):
        sid = new_ids[n] if n < len(new_ids) else None
        folder = folders.get(sid if sid is not None else next(rowless, -1))
        if (killed or not session.done) and folder is not None and written_since(folder / "cues.jsonl", started_ns):
            shown = reps_shown(folder)
            session.reps = shown if session.done else max(session.reps, shown)
        elif killed and sid is None and folder is None:
            session.reps = 0             # neither row nor folder: no cue log said a rep was kept
        matched.append((sid, session))
    return matched


class StateDb:
    """The state directory's database, read-only; every query raises sqlite3.Error if it
    cannot be read."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        path = (state_dir / "pftrainer.db").resolve()
        self.db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) if path.exists() else None

    def __enter__(self) -> "StateDb":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def session_ids(self) -> list[int]:
        if self.db is None:
            return []
        return [row[0] for row in self.db.execute("SELECT id FROM session ORDER BY id")]

    def reps(self, session_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM rep WHERE session_id = ?", (session_id,)).fetchone()[0]

    def recordings(self) -> dict[int, str | None]:
        """The recording each session names (None: none kept)."""
        if self.db is None:
            return {}
        return dict(self.db.execute("SELECT id, recording FROM session ORDER BY id"))

    def integrity(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] if self.db is not None else "no database"


def read_recording(path: Path) -> tuple[str | None, int]:
    """Read the recording at `path` to its end (gzip, every line checked): why it cannot
    be read (None if it can), and how many samples it holds."""
    parser = RecordingParser(str(path))
    try:
        with blaming_damaged_gzip(path):
            for line in text_lines(path):
                parser.feed(line)
    except RecordingError as e:
        return str(e), parser.samples
    return None, parser.samples


@dataclass(frozen=True)
class Leftovers:
    """Files in recordings/ that no session names (orphans) and unfinished `.part` files."""

    orphans: int
    partial: int


def leftovers(state_dir: Path, named: set[str]) -> Leftovers:
    folder = state_dir / "recordings"
    files = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    return Leftovers(sum(1 for f in files if f.endswith(".csv.gz") and f not in named),
                     sum(1 for f in files if f.endswith(".part")))
