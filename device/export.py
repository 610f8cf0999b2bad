"""`pftrainer export --edf DIR`: the kept sessions' recordings carried off the device, each as
EDF+ (`device.export_edf`) and as its v1 CSV, decompressed:

    DIR/session-NNNNN.edf
    DIR/session-NNNNN.csv

The state directory is only read (a read-only `Store`; nothing is written there, so a
copy on read-only media exports too). A session that cannot be exported -- no recording
kept, its file missing or damaged, a start EDF cannot hold -- is one line in `problems`
and leaves no file behind; the others are exported all the same. A session `DIR` has no
room for (full) leaves no file behind either, and the export goes on with the next, which
may be smaller: every session that fits is exported, and one line names those that did
not. Before a session is written its CSV's size (read from the end of its gzip file) is
checked against the space free, so one that cannot fit is not tried; where `DIR` is on the
state directory's filesystem, the space the device needs to store its next session (the
database's reserve and a recording as large as the largest kept) is kept free too: a
session that would take it is left out, and one whose files, written, did is removed. A
`DIR` that refuses writes otherwise (read-only, gone) ends the export there, and one line
names the sessions left out. Each file is written under a temporary name and renamed, so
`DIR` only ever holds whole files. A session not exported writes nothing in `DIR`: files an
earlier export wrote for it stay as they were, and one line says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from device.durable import part_of
from device.export_edf import ExportError, session_edf
from device.reserve import RESERVE_BYTES
from device.storage import Store, stopped_at_start
from device.texts import numbers_text, plural_word
from device.writer import FULL_ERRNOS, StorageError
from session.recording import HeaderOnly, RecordingError, SampleLimits
from session.recording_arrays import load_arrays


MB = 1_000_000
GZIP_SIZE_BYTES = 4                      # a gzip file ends with its data's length (mod 2**32)


class NoRoom(OSError):
    """Too little space for a session in an export's folder, found before it is written
    or, where the floor applies, once it is (no space left, as the error number says)."""

    def __init__(self, why: str, folder: Path) -> None:
        super().__init__(errno.ENOSPC, why, str(folder))


@dataclass(frozen=True)
class Target:
    """The folder an export writes to, and the space it leaves free there (`floor_bytes`):
    on the state directory's filesystem what the device needs to store its next session,
    elsewhere none."""

    folder: Path
    floor_bytes: int

    @classmethod
    def of(cls, store: Store, folder: Path) -> Target:
        shared = os.stat(folder).st_dev == os.stat(store.state_dir).st_dev
        return cls(folder, _device_needs_bytes(store) if shared else 0)

    def check(self, more_bytes: int = 0) -> None:
        """NoRoom unless `more_bytes` still leave the floor free."""
        room = os.statvfs(self.folder)
        if room.f_bavail * room.f_frsize - more_bytes < self.floor_bytes:
            raise NoRoom(self._too_little, self.folder)

    @property
    def _too_little(self) -> str:
        if self.floor_bytes:
            return (f"it is on the state directory's filesystem, where {self.floor_bytes / MB:.1f} MB stays free "
                    "for the device's database and next recording")
        return "less space free than the session's CSV alone takes"


def _device_needs_bytes(store: Store) -> int:
    """The space the device needs free to store its next session: its database's reserve
    and a recording as large as the largest kept."""
    sizes = [0]
    for path in store.recordings_dir.glob("session-*.csv.gz"):
        with contextlib.suppress(OSError):
            sizes.append(path.stat().st_size)
    return RESERVE_BYTES + max(sizes)


def csv_bytes(store: Store, session: dict) -> int:
    """What session `session`'s (a `Store.recorded` row) recording takes decompressed,
    its CSV copy: the least its export needs, read from its gzip file's last four bytes;
    0 where that cannot be read (the export names why)."""
    source = _kept_recording(store, session)
    if source is None:
        return 0
    try:
        with open(source, "rb") as f:
            f.seek(-GZIP_SIZE_BYTES, os.SEEK_END)
            return int.from_bytes(f.read(GZIP_SIZE_BYTES), "little")
    except OSError:
        return 0


def _kept_recording(store: Store, session: dict) -> Path | None:
    """Where session `session`'s recording is kept (None: no recording kept)."""
    name = session["recording"]
    return None if name is None else store.recordings_dir / Path(name).name


@dataclass
class Exported:
    """What an export wrote (`written`: each session's EDF file, by session id), the
    sessions it did not (`not_exported`, in order), why (`problems`: a line for each
    session at fault, and one for each reason `DIR` gave for leaving sessions out), and
    the first error writing `DIR` (`target_error`). `empty`: interrupted sessions whose recording
    holds no sample (stopped before the first): nothing to export, and no fault."""

    written: dict[int, Path] = field(default_factory=dict)
    not_exported: list[int] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    target_error: OSError | None = None
    removed: bool = False      # DIR was made for the export, took nothing, and is gone again


def _not_kept(sid: int, sessions: dict, store, profile: int | None) -> str:
    """Why session `sid` asked for is not among `sessions` (`profile`'s, or everybody's): another
    person's, or none kept (a fault campaign: *no session 4 ... (it keeps sessions 1-9)* of person 2's
    session 4, asked for with person 1's)."""
    whose = {row["id"]: row["profile"] for row in store.recorded(None)} if profile is not None else {}
    if sid in whose:
        return f"session {sid} is person {whose[sid]}'s, not person {profile}'s"
    kept = f"sessions {numbers_text(sorted(sessions))}" if sessions else "none"
    if profile is None:
        return f"no session {sid} in {store.state_dir} (it keeps {kept})"
    return f"no session {sid} of person {profile} in {store.state_dir} (theirs: {kept})"


def export_sessions(store: Store, out_dir: Path, limits: SampleLimits, session_ids: list[int] | None = None,
                    profile: int | None = None, *, stop_when_full: bool = False) -> Exported:
    """Write the sessions `session_ids` (default: every kept one, or `profile`'s) of `store` to `out_dir`
    (made if missing, in a folder that is there); ExportError when there is nothing to export or
    `out_dir` lies in the state directory. `stop_when_full`: stop at the first session
    `out_dir` has no room for too (for a caller that keeps all or nothing)."""
    state_dir = store.state_dir.resolve()
    if out_dir.resolve() == state_dir or state_dir in out_dir.resolve().parents:
        raise ExportError(f"{out_dir} is in the state directory {store.state_dir}: export never writes there")
    sessions = {row["id"]: row for row in store.recorded(profile)}
    if not sessions and not session_ids:      # (asked for by number: each says why not, whose it is -- a review)
        raise ExportError(f"no sessions in {store.state_dir}: nothing to export")
    result = Exported()
    wanted = sorted(set(session_ids)) if session_ids else sorted(sessions)
    made = not out_dir.exists()
    out_dir.mkdir(exist_ok=True)
    left_out = _export_kept([sessions[sid] for sid in wanted if sid in sessions], store, Target.of(store, out_dir),
                            limits, result, stop_when_full)
    if made and not result.written:            # a folder this export made and filled with nothing goes
        with contextlib.suppress(OSError):    # (a full stick kept an empty edf/: a trial)
            out_dir.rmdir()
            result.removed = True
    result.problems += [_not_kept(sid, sessions, store, profile) for sid in wanted if sid not in sessions]
    result.problems += [f"{_sessions(ids)} not exported: {why}" for why, ids in left_out.items()]
    result.not_exported = [sid for sid in wanted if sid not in result.written and sid not in result.empty]
    earlier = [sid for sid in result.not_exported if any(path.exists() for path in _files(out_dir, sid))]
    if earlier:
        result.problems.append(f"{_sessions(earlier)}: an earlier export's files are still in {out_dir}, as they were")
    return result


def _sessions(ids: list[int]) -> str:
    """The sessions `ids` (ascending) in words: "session 4", or "sessions 2, 5, 7-9"."""
    return f"{plural_word(len(ids), 'session')} {numbers_text(ids)}"


def _files(out_dir: Path, sid: int) -> tuple[Path, Path]:
    """Session `sid`'s CSV and EDF files in `out_dir`."""
    stem = out_dir / f"session-{sid:05d}"
    return stem.with_suffix(".csv"), stem.with_suffix(".edf")


def _export_kept(kept: list[dict], store: Store, target: Target, limits: SampleLimits, result: Exported,
                 stop_when_full: bool) -> dict[str, list[int]]:
    """Export the sessions `kept` (`Store.recorded` rows) into `result`; the sessions
    `target` took no more of, by why (the rest with the error that ended the export)."""
    left_out: dict[str, list[int]] = {}
    for n, session in enumerate(kept):
        error = _target_error(session, store, target, limits, result)
        if error is None:
            continue
        result.target_error = result.target_error or error
        why = _refused(error, target.folder)
        if error.errno in FULL_ERRNOS and not stop_when_full:         # a smaller session may fit
            left_out.setdefault(why, []).append(session["id"])
            continue
        left_out[f"{why}; the export stopped at session {session['id']}"] = [s["id"] for s in kept[n:]]
        break                                                          # the rest would fare no better
    return left_out


def _target_error(session: dict, store: Store, target: Target, limits: SampleLimits,
                  result: Exported) -> OSError | None:
    """Export `session` into `result` (written, or a problem of its own); the error writing
    `target`, if that failed."""
    try:
        result.written[session["id"]] = _export_one(store, session, target, limits)
    except HeaderOnly as e:
        if stopped_at_start(session["completed"], len(store.reps(session["id"]))):
            result.empty.append(session["id"])
        else:                                          # samples that were there are lost: a fault
            result.problems.append(f"session {session['id']}: {e}")
    except (ExportError, RecordingError) as e:
        result.problems.append(f"session {session['id']}: {e}")
    except StorageError:
        raise
    except OSError as e:
        return e
    return None


def _refused(error: OSError, out_dir: Path) -> str:
    """Why `out_dir` took no more, in words that are the same for every session it left out
    (a cut-short write by numpy says how many bytes: left out here)."""
    if isinstance(error, NoRoom):
        reason = error.strerror
    else:
        reason = os.strerror(error.errno) if error.errno else str(error)
    return f"{'no room in' if error.errno in FULL_ERRNOS else 'cannot write to'} {out_dir} ({reason})"


def _export_one(store: Store, session: dict, target: Target, limits: SampleLimits) -> Path:
    """Session `session` (a `Store.recorded` row) as DIR/session-NNNNN.edf and .csv, if
    `target` has room for them; the EDF's path."""
    source = _kept_recording(store, session)
    if source is None:
        raise ExportError("no recording is kept (the session is still running, or was never stored whole)")
    try:
        if not source.is_file():
            raise ExportError(f"its recording {source} is missing")
    except OSError as e:                     # the state directory's, not the target's: this session's
        raise ExportError(f"its recording {source} cannot be read ({e.strerror})") from e
    target.check(csv_bytes(store, session))
    csv_path, edf_path = _files(target.folder, session["id"])
    parts = (part_of(csv_path), part_of(edf_path))
    try:
        with open(parts[0], "w", encoding="utf-8", newline="") as copy:
            recording = load_arrays(source, limits, copy_to=copy)
        with _short_write_is_no_space(parts[1]):
            session_edf(recording, session, store.events(session["id"]), limits).write(parts[1])
        target.check()                                 # the EDF may take more than the estimate left
        os.replace(parts[0], csv_path)
        os.replace(parts[1], edf_path)
    except BaseException as e:
        for part in parts:
            part.unlink(missing_ok=True)
        if isinstance(e, OSError) and e.filename is not None and Path(e.filename) == source:
            raise ExportError(f"its recording {source} cannot be read ({e.strerror})") from e
        raise
    return edf_path


SHORT_WRITE = re.compile(r"\d+ requested and \d+ written")     # numpy's tofile() when the disk fills


@contextlib.contextmanager
def _short_write_is_no_space(path: Path) -> Iterator[None]:
    """Writing `path` (the EDF file, written by numpy) inside this, a write cut short is
    reported as what it is -- no space left (numpy raises it with no error number, so it
    would read as some other failure)."""
    try:
        yield
    except OSError as e:
        if e.errno is None and SHORT_WRITE.fullmatch(str(e)):
            raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} ({e})", str(path)) from e
        raise
