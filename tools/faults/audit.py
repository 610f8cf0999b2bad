"""Keeps the books on one state directory across the runs done to it: every rep a run
reported must be stored -- by the run itself, or, when it was killed or gave up on a
locked database, by the next start, which closes what was left (`device.leftovers`);
so it is checked at the end, after the last restart. At the end, too, every recording
that came due or that the database names must be readable, and leftovers in
`recordings/` are counted.

A session's recording is due when the device said the session was done, when SIGTERM
stopped it (the device keeps it as interrupted), or when SIGKILL hit it with samples
recorded (an unfinished session, for the next start to recover).
"""

from __future__ import annotations

import re
import signal
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from device.layout import LIVE_RECORDING, StateLayout
from tools.faults.ledger import (StateDb, last_session_folder, leftovers, match_sessions, read_recording,
                                 samples_recorded, written_since)
from tools.faults.runs import RunResult
from tools.faults.table import Part


# a run's last line when the disk stayed full to its end (device.writer.StorageUnfinished)
NO_ROOM = re.compile(r"writes not done after .*No space left on device")


@dataclass(frozen=True)
class Due:
    """What a stored session must keep: its reported reps, and why a recording is due (or None)."""

    reps: int
    recording: str | None


class Auditor:
    """The books on `state_dir`, tallied into `part`. Problems are counted by kind and
    become the part's findings at `close()`. A `damaged` database (damaged on purpose)
    that cannot be read, or fails its integrity check, is worth a note, not a failure."""

    def __init__(self, state_dir: Path, part: Part, *, damaged: bool = False) -> None:
        self.state = state_dir
        self.part = part
        self.damaged = damaged
        self.due: dict[int, Due] = {}
        self.problems: Counter[tuple[str, bool]] = Counter()     # (what, failing): how often

    def note(self, problem: str, *, failing: bool = True) -> None:
        self.problems[problem, failing] += 1

    def session_ids(self) -> list[int]:
        """The sessions in the database now ([] when it cannot be read: the run's check says so)."""
        try:
            with StateDb(self.state) as db:
                return db.session_ids()
        except sqlite3.Error:
            return []

    # --- after each run -----------------------------------------------------------------------
    def check(self, result: RunResult, how: str, before: list[int]) -> int:
        """Tally one run, ended `how` (a signal's name, or what was done to it), that
        started with the sessions `before` in the database; the reps it reported."""
        self._check_exit(result, how)
        try:
            return self._check_reps(result, how, before)
        except sqlite3.Error as e:
            self.note(f"{how}: the database cannot be read: {e}", failing=not self.damaged)
            return 0

    def _check_reps(self, result: RunResult, how: str, before: list[int]) -> int:
        with StateDb(self.state) as db:
            new_ids = [i for i in db.session_ids() if i not in before]
            matched = match_sessions(result.log, result.started_ns, self.state, new_ids,
                                     killed=result.exit_code == -signal.SIGKILL)
            # a session with no row yet has its folder, which the next start makes the row from
            rowless = iter(sorted(i for i in StateLayout(self.state).session_folders()
                                  if i not in before and i not in new_ids))
            for n, (sid, session) in enumerate(matched):
                stored = db.reps(sid) if sid is not None else 0
                if sid is None:
                    sid = next(rowless, None)
                self.part.reps_reported += session.reps
                if sid is None:
                    if session.reps:
                        self.part.reps_lost += session.reps
                        self.note(f"{how}: a session reported reps and has neither a row nor a folder")
                    continue
                if stored < session.reps:
                    self.note(f"{how}: reported reps not stored yet: due from the next start", failing=False)
                last = n == len(matched) - 1           # from now on it must keep what it reported
                self.due[sid] = Due(session.reps, self._recording_due(session.done, last, result, how))
        return sum(s.reps for _, s in matched)

    def _check_exit(self, result: RunResult, how: str) -> None:
        """How the run ended: a traceback, a hang or an unclear failure fails; any other
        end is noted (how many runs ended which way)."""
        self.part.tracebacks += result.tracebacks
        self.part.hangs += result.hung
        if result.tracebacks:
            self.note(f"{how}: a traceback, {result.outcome()}")
        elif result.hung:
            self.note(f"{how}: hung")
        elif result.exit_code != -signal.SIGKILL and result.unclear:
            self.note(f"{how}: not one clear line: {result.outcome()}")
        else:
            self.note(f"{how}: {result.outcome()}", failing=False)

    def _recording_due(self, done: bool, last: bool, result: RunResult, how: str) -> str | None:
        if result.exit_code != 0 and NO_ROOM.search(result.outcome()):
            self.note(f"{how}: a recording it had no room for is not due: the run said so", failing=False)
            return None
        if done:
            return "the device said the session was done"
        if not last:
            return None
        if how == signal.SIGTERM.name and result.exit_code == 0:
            return "stopped by SIGTERM (kept as interrupted)"
        current = last_session_folder(self.state)
        if (result.exit_code == -signal.SIGKILL and written_since(current / LIVE_RECORDING, result.started_ns)
                and samples_recorded(current)):
            return "killed mid-session with samples recorded (unfinished session not recovered)"
        return None

    # --- at the end ---------------------------------------------------------------------------
    def close(self) -> None:
        """Check every session's reps and recordings once more, count leftovers, and turn
        the problems into findings."""
        try:
            self._audit()
        except sqlite3.Error as e:
            self.note(f"at the end, the database cannot be read: {e}", failing=not self.damaged)
        for (problem, failing), n in self.problems.most_common():
            self.part.find(f"{n} x {problem}" if n > 1 else problem, failing=failing)

    def _audit(self) -> None:
        with StateDb(self.state) as db:
            self._audit_db(db)

    def _audit_db(self, db: StateDb) -> None:
        named = db.recordings()
        for sid, due in self.due.items():
            if db.reps(sid) < due.reps:
                self.part.reps_lost += due.reps - db.reps(sid)
                self.note(f"reported reps missing at the end (after the last restart): session {sid}, "
                          f"{due.reps} reported, {db.reps(sid)} stored")
            if due.recording is not None and named.get(sid) is None:
                self.part.recordings_lost += 1
                self.note(f"no recording kept: {due.recording}")
        for name in filter(None, named.values()):
            self._check_recording(self.state / "recordings" / name)
        left = leftovers(self.state, set(filter(None, named.values())))
        self.part.orphans += left.orphans
        self.part.partial += left.partial
        if left.orphans or left.partial:
            self.note(f"{left.orphans} orphan and {left.partial} partial (.part) recordings left in recordings/",
                      failing=False)
        if (integrity := db.integrity()) != "ok":
            self.note(f"database integrity check: {integrity}", failing=not self.damaged)

    def _check_recording(self, path: Path) -> None:
        why, samples = read_recording(path)
        if why is not None:
            self.part.recordings_lost += 1
            self.note(f"a recording the database names is unreadable: {why}")
        elif samples == 0:
            self.note("a recording kept with a header and no samples (stopped before the first)", failing=False)
