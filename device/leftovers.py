"""At start-up, what an earlier run left behind: unfinished sessions closed, stray files
tied to their session or set aside.

A run that died (a kill, a power cut, storage that never came back) can leave a session
row with no summary, the session's folder (`sessions/session-NNNNN/`), a half-written
compressed copy (`recordings/*.part`) or a compressed recording no row points at.
Before the first new session:

- an unfinished session is closed: its recording loses a cut-off last line, gets
  `# aborted=interrupted: ...` unless it ends that way, is compressed and referenced;
  its summary is the one the session wrote if it got that far (then it also keeps
  whether it was completed, and the reps the database missed are taken from it), else
  one saying it was interrupted, with the coach's figures as of its last scored rep
  (`progress.json`) where the session kept them;
- a session folder with no row gets one from its recording's metadata (`session`,
  `started_at`, `program`); a folder whose session is stored whole is removed;
- a `.part` file is removed when a whole copy of its recording is there, or will be;
- a session whose recording was cut short (the disk stayed full, or the run died before
  it was written) keeps what was written, ending `# aborted=recording cut short: ...`;
- a session stored whose recording was never written (begun while the disk was full, which
  stayed full to the end of the run) gets its summary kept as a file, and the log says so;
- whatever cannot be tied to a session is moved to `orphans/`.

A session that wrote its files to a folder the user chose (`sim --out DIR --state-dir`)
has only `files-in.txt` in its folder, naming DIR: its files are read there and copied,
never moved or deleted (a cut-off recording there is rewritten whole, ending as above).

Every stored session keeps its summary, with every rep, beside its compressed recording
(`recordings/session-NNNNN.summary.json`, `keep_files`). When the database was damaged
and started afresh, `rebuild` takes the sessions and reps it lost from those files.

Nothing is deleted that is not kept elsewhere, and every step is a line in the log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from device.config import DEFAULT_PROFILE, PROFILE_TEXTS
from device.durable import copy_durably, move_durably, whole_lines, write_durably, write_gzip_durably
from device.layout import LIVE_RECORDING, PROGRESS, StateLayout
from device.stored_values import json_object, moved_key, moved_mark, profile_number, rep_places
from session.recording_file import header

INTERRUPTED = "interrupted: the device stopped during the session"
CUT_SHORT = "recording cut short: the disk was full or the device stopped before all of it was written"
TAIL_BYTES = 4096             # a recording's last sample is looked for this far from its end
LEGACY_RECORDING = "recording.csv"        # a session folder's recording before 2026-12: plain CSV


@dataclass(frozen=True)
class Interrupted:
    """A session the device stopped in (a power cut, a crash), closed and kept as interrupted
    when the state directory was next opened: whose, and how many repetitions of it were kept."""
    session_id: int
    profile: int
    reps: int


class Leftovers:
    """Tidies the state directory `layout` for the sessions before `below_id`, writing
    on `db` (the writer thread's connection); `log(message)` hears each step; `interrupted`
    lists the sessions `tidy` found stopped mid-way and kept so."""

    def __init__(self, db: sqlite3.Connection, layout: StateLayout, below_id: int,
                 log: Callable[[str], None]) -> None:
        self.db = db
        self.layout = layout
        self.below_id = below_id
        self.log = log
        self.interrupted: list[Interrupted] = []

    def tidy(self) -> None:
        layout = self.layout
        folders = {sid: p for sid, p in layout.session_folders().items() if sid < self.below_id}
        for sid, part in layout.half_written_summaries().items():
            if sid < self.below_id:
                part.unlink()
                self.log(f"storage: removed the half-written {part.name}: it is written again from the session")
        for sid, part in layout.half_written().items():
            if sid < self.below_id:
                self._half_written(sid, part, folders.get(sid))
        rows = self._rows()
        unfinished = {sid for sid, (recording, summary) in rows.items() if recording is None and summary is None}
        for sid in sorted(unfinished | set(folders)):
            folder = folders.get(sid)
            if sid in rows and sid not in unfinished:
                self._stored(sid, folder)
            else:
                self._close(sid, folder, sid in rows)
        self._restore_damaged_summaries()
        self._unreferenced_recordings(self._rows())
        self._never_recorded(self._rows(), folders)
        self._keep_missing_summaries(self._rows())

    def _rows(self) -> dict[int, tuple[str | None, str | None]]:
        """Each session's recording and summary as stored, None where not stored or damaged (a byte
        gone bad reads as U+FFFD, `device.sqlite_open`: the recording's name then did not name its
        file, which was set aside as nobody's, and the summary was kept as a file the rebuild trusts:
        a review)."""
        return {sid: (_intact(recording), _intact(summary)) for sid, recording, summary in self.db.execute(
            "SELECT id, recording, summary_json FROM session WHERE id < ?", (self.below_id,))}

    # --- what is there --------------------------------------------------------------------------
    def _half_written(self, sid: int, part: Path, folder: Path | None) -> None:
        if self.layout.recording(sid).exists() or (
                folder is not None and _live_recording(self.layout.files_of(folder)) is not None):
            part.unlink()
            self.log(f"storage: removed the half-written {part.name}: a whole copy is kept")
        else:
            self._set_aside(part, "a half-written copy of a recording that is nowhere else")

    def _stored(self, sid: int, folder: Path) -> None:
        """The session is stored; its folder was left because the run died (or storage
        failed) before its recording was kept."""
        files = self.layout.files_of(folder)
        recording = _live_recording(files)
        target = self.layout.recording(sid)
        if recording is not None and not target.exists():
            summary_json = self.db.execute("SELECT summary_json FROM session WHERE id = ?", (sid,)).fetchone()[0]
            summary = json.loads(summary_json) if summary_json else {}
            text = whole_lines(recording)
            if not _is_whole(text, summary.get("duration_s")):
                text = _ended(text, CUT_SHORT)
                self.log(f"storage: session {sid}'s recording was cut short: kept what was written")
            keep_files(self.layout, sid, self._with_reps(sid, summary), _rewritten(recording, text),
                       move=files == folder)
            with self.db:
                self.db.execute("UPDATE session SET recording = ? WHERE id = ?", (target.name, sid))
        shutil.rmtree(folder)
        self.log(f"storage: removed {folder.name}: session {sid} is stored")

    def _close(self, sid: int, folder: Path | None, has_row: bool, how: str | None = None) -> None:
        """Close session `sid`, which never finished (or has no row yet); `how` it came to
        need closing, for the log (by default: left unfinished, or missing from the history)."""
        files = self.layout.files_of(folder) if folder is not None else None
        recording = _live_recording(files) if files is not None else None
        text = whole_lines(recording) if recording is not None else b""
        if not text:
            recording = None
        target = self.layout.recording(sid)
        metadata = header(recording or target)
        if not has_row and (metadata.get("session") != str(sid) or not {"started_at", "program"} <= set(metadata)):
            self._set_aside(folder if folder is not None else target,
                            f"no session {sid} in the history, and its recording does not name it")
            return
        summary_path = files / "summary.json" if files is not None else self.layout.kept_summary(sid)
        summary = _summary(summary_path)
        unreadable = summary is None and summary_path.exists()
        if recording is not None and not target.exists() and summary is None:
            text = _ended(text, INTERRUPTED)
        if summary is None:
            progress = _summary(files / PROGRESS) if files is not None else None
            summary = {**(progress or {}), "aborted": INTERRUPTED,
                       "duration_s": _last_t(text) if recording else None,
                       **({"pauses": _pause_reasons(text)} if recording else {})}
        if recording is not None and not target.exists():
            keep_files(self.layout, sid, self._with_reps(sid, summary), _rewritten(recording, text),
                       move=files == folder)
        completed = "aborted" not in summary
        with self.db:
            if not has_row:      # whose: as its recording's header says, or, moved since, whose it is now
                profile = metadata.get("profile", "1")
                mark = self.db.execute("SELECT value FROM setting WHERE key = ?", (moved_key(sid),)).fetchone()
                moved = moved_mark(mark[0]) if mark else None
                self.db.execute("INSERT INTO session (id, started_at, program, persona, profile) VALUES (?, ?, ?, ?, ?)",
                                (sid, metadata["started_at"], metadata["program"], metadata.get("persona") or None,
                                 moved[1] if moved is not None
                                 else int(profile) if profile in PROFILE_TEXTS else DEFAULT_PROFILE))
            self._add_missing_reps(sid, summary.get("reps", []))
            self.db.execute("UPDATE session SET completed = ?, duration_s = ?, summary_json = ?, recording = ? "
                            "WHERE id = ?", (int(completed), summary.get("duration_s"), json.dumps(summary),
                                             target.name if target.exists() else None, sid))
        kept = f"its recording in {target.name}" if target.exists() else "no recording was found"
        if how is None:
            how = "was left unfinished" if has_row else "was missing from the history"
            if not completed:
                (profile,) = self.db.execute("SELECT profile FROM session WHERE id = ?", (sid,)).fetchone()
                (reps,) = self.db.execute("SELECT COUNT(*) FROM rep WHERE session_id = ?", (sid,)).fetchone()
                self.interrupted.append(Interrupted(sid, profile_number(profile), reps))
        self.log(f"storage: session {sid} {how}: kept as "
                 f"{'completed' if completed else 'interrupted'}, {kept}"
                 + (f"; its summary {summary_path.name} could not be read" if unreadable else ""))
        if folder is not None:
            if unreadable and files == folder:        # what is left of it is kept, as everything is
                self._set_aside(summary_path, "its summary could not be read",
                                name=f"session-{sid:05d}.{summary_path.name}")
            shutil.rmtree(folder)

    def rebuild(self) -> None:
        """Take the sessions and reps the database lacks from the summaries kept beside the
        recordings (after the database was damaged and started afresh)."""
        rows = self._rows()
        reps_before = self._rep_count()
        rebuilt = 0
        for sid in self.layout.recording_files():
            kept = _summary(self.layout.kept_summary(sid))
            if sid >= self.below_id or kept is None:
                continue
            if sid in rows:
                with self.db:
                    self._add_missing_reps(sid, kept.get("reps", []))
            else:
                self._close(sid, None, has_row=False, how="was rebuilt from its kept summary")
                rebuilt += 1
        self.log(f"storage: rebuilt from the kept summaries: {rebuilt} sessions, "
                 f"{self._rep_count() - reps_before} reps")

    def _rep_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM rep").fetchone()[0]

    def _with_reps(self, sid: int, summary: dict) -> dict:
        """`summary` with every rep: the stored ones when it lists none (an interrupted session)."""
        if "reps" in summary:
            return summary
        return {**summary, "reps": [json.loads(detail) for (detail,) in self.db.execute(
            "SELECT detail_json FROM rep WHERE session_id = ? ORDER BY id", (sid,))]}

    def _add_missing_reps(self, sid: int, reps: list[dict]) -> None:
        """The reps in a session's own summary that the database has not got."""
        have = set(rep_places(self.db.execute("SELECT series, rep FROM rep WHERE session_id = ? ORDER BY id",
                                              (sid,))))
        for rep, place in zip(reps, rep_places((rep["series"], rep["rep"]) for rep in reps)):
            if place not in have:
                contraction = rep.get("contraction")
                self.db.execute("INSERT INTO rep (session_id, series, rep, contraction_score, relaxation_score, "
                                "detail_json) VALUES (?, ?, ?, ?, ?, ?)",
                                (sid, rep["series"], rep["rep"], contraction and contraction.get("score"),
                                 rep["relaxation"].get("score"), json.dumps(rep)))

    def _unreferenced_recordings(self, rows: dict[int, tuple[str | None, str | None]]) -> None:
        referenced = {recording for recording, _ in rows.values()}
        for sid, path in self.layout.recording_files().items():
            if sid >= self.below_id or path.name in referenced:
                continue
            if sid in rows and rows[sid][0] is None:
                with self.db:
                    self.db.execute("UPDATE session SET recording = ? WHERE id = ?", (path.name, sid))
                self.log(f"storage: session {sid} had lost track of its recording {path.name}: referenced again")
            elif sid not in rows and header(path).get("session") == str(sid):
                self._close(sid, None, has_row=False)
            else:
                self._set_aside(path, f"no session {sid} it belongs to")

    def _never_recorded(self, rows: dict[int, tuple[str | None, str | None]], folders: dict[int, Path]) -> None:
        """A session stored with its summary and samples, but no recording nor folder: one
        begun while the disk was full, which stayed full until the run ended (its files waited
        in memory, behind the recording that met the full disk). Its row, reps and summary
        are what it kept; the summary is kept as a file too, and the log says so, once."""
        for sid, (recording, summary_json) in rows.items():
            kept = self.layout.kept_summary(sid)
            if recording is not None or summary_json is None or sid in folders or kept.exists():
                continue
            summary = json_object(summary_json)
            if summary is None or not summary.get("samples"):       # unreadable, or nothing to record
                continue
            summary = self._with_reps(sid, summary)
            write_durably(kept, json.dumps(summary, ensure_ascii=False) + "\n")
            self.log(f"storage: session {sid}'s recording was never written (the disk was full while it ran): "
                     f"its summary and {len(summary.get('reps', []))} reps are kept, in {kept.name}")

    def _keep_missing_summaries(self, rows: dict[int, tuple[str | None, str | None]]) -> None:
        """A stored session without its kept summary (stored by an older pftrainer) gets one (none from
        a summary that cannot be read: a start that raised on it at every start, a review)."""
        for sid, (recording, summary_json) in rows.items():
            kept = self.layout.kept_summary(sid)
            summary = json_object(summary_json) if summary_json is not None else None
            if recording is not None and summary is not None and not kept.exists():
                write_durably(kept, json.dumps(self._with_reps(sid, summary), ensure_ascii=False) + "\n")

    def _restore_damaged_summaries(self) -> None:
        """A stored summary gone bad (a byte that is no text, read as U+FFFD), or lost beside a kept
        recording (a damaged database's column not recovered), taken again from the summary kept
        beside the recording."""
        for sid, recording, summary_json in self.db.execute(
                "SELECT id, recording, summary_json FROM session WHERE id < ?", (self.below_id,)).fetchall():
            if _intact(summary_json) is not None or (summary_json is None and recording is None):
                continue
            kept = _summary(self.layout.kept_summary(sid))
            if kept is None:
                continue
            with self.db:
                self.db.execute("UPDATE session SET summary_json = ? WHERE id = ?", (json.dumps(kept), sid))
            self.log(f"storage: session {sid}'s stored summary was damaged or lost: taken again from "
                     f"{self.layout.kept_summary(sid).name}")

    def _set_aside(self, path: Path, why: str, name: str | None = None) -> None:
        """Move `path` into orphans/ (as `name`, default its own), never over what is there."""
        orphans = self.layout.orphans
        orphans.mkdir(exist_ok=True)
        name = name or path.name
        target, n = orphans / name, 1
        while target.exists():
            n += 1
            target = orphans / f"{name}-{n}"
        os.replace(path, target)
        self.log(f"storage: moved {path.name} to {orphans.name}/{target.name}: {why}")


def _live_recording(folder: Path) -> Path | None:
    """The recording a session's folder holds: gzip as it was being written, or the plain
    CSV of a pftrainer before 2026-12."""
    for name in (LIVE_RECORDING, LEGACY_RECORDING):
        if (folder / name).exists():
            return folder / name
    return None


def _rewritten(recording: Path, text: bytes) -> Path:
    """`text` (a recording's whole lines, maybe ended anew) as a whole gzip file beside
    `recording`, which it replaces."""
    whole = recording.with_name(LIVE_RECORDING)
    write_gzip_durably(whole, text)
    if recording != whole:
        recording.unlink()
    return whole


def keep_files(layout: StateLayout, sid: int, summary: dict, recording: Path, *, move: bool = True) -> None:
    """Keep session `sid`'s summary (with every rep) and its recording (a whole gzip file)
    in `recordings/`, both on the SD card before the database names the recording; the
    recording is moved there (`move`), or copied from a folder the user chose."""
    write_durably(layout.kept_summary(sid), json.dumps(summary, ensure_ascii=False) + "\n")
    (move_durably if move else copy_durably)(recording, layout.recording(sid))


def _summary(path: Path) -> dict | None:
    """The summary in the file at `path` (a session's own, or a kept one), if it is there."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


def _intact(text: str | None) -> str | None:
    """A stored text, None where a byte of it went bad (`device.sqlite_open` reads it as U+FFFD)."""
    return None if text is None or "\ufffd" in text else text


def _pause_reasons(text: bytes) -> list[str]:
    """Why each pause of a recording began, from its `# paused=<t> <reason>` lines (the summary's
    `pauses`, which a session killed before its end never wrote: `history` read *onderbroken* alone
    where the report, from the recording, said *gepauzeerd: 1x opgestaan*, a review)."""
    return [reason.decode("utf-8", "replace") for reason in re.findall(rb"^# paused=\S+ (\S+)", text, re.M)]


def _last_line(text: bytes) -> bytes:
    return text.rstrip(b"\n").rsplit(b"\n", 1)[-1]


def _last_t(text: bytes) -> float | None:
    """The time of the last sample in a recording's `text`."""
    for line in reversed(text[-TAIL_BYTES:].split(b"\n")):
        try:
            return round(float(line.split(b",", 1)[0]), 2)
        except ValueError:
            continue
    return None


def _is_whole(text: bytes, duration_s: float | None) -> bool:
    """The recording's `text` ends as its session did: with `# aborted=`, or a sample at
    the session's duration."""
    last = _last_line(text)
    if last.startswith(b"# aborted="):
        return True
    try:
        return round(float(last.split(b",", 1)[0]), 2) == duration_s
    except ValueError:
        return False


def _ended(text: bytes, reason: str) -> bytes:
    """The recording's `text` (whole lines) ending with `# aborted=<reason>`, unless it
    already says why it ended."""
    if _last_line(text).startswith(b"# aborted="):
        return text
    return text + f"# aborted={reason}\n".encode()
