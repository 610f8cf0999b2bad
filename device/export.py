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
not. A `DIR` that refuses writes otherwise (read-only, gone) ends the export there, and one
line names the sessions left out. Each file is written under a temporary name and renamed,
so `DIR` only ever holds whole files.
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
from device.storage import Store
from device.texts import numbers_text, plural_word
from device.writer import FULL_ERRNOS, StorageError
from session.recording import RecordingError, SampleLimits
from session.recording_arrays import load_arrays


@dataclass
class Exported:
    """What an export wrote (`written`: each session's EDF file, by session id), the
    sessions it did not (`not_exported`, in order), why (`problems`: a line for each
    session at fault, and one for each reason `DIR` gave for leaving sessions out), and
    the first error writing `DIR` (`target_error`)."""

    written: dict[int, Path] = field(default_factory=dict)
    not_exported: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    target_error: OSError | None = None


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
    if not sessions:
        raise ExportError(f"no sessions in {store.state_dir}: nothing to export")
    result = Exported()
    wanted = sorted(set(session_ids)) if session_ids else sorted(sessions)
    out_dir.mkdir(exist_ok=True)
    left_out = _export_kept([sessions[sid] for sid in wanted if sid in sessions], store, out_dir, limits, result,
                            stop_when_full)
    result.problems += [f"no session {sid} in {store.state_dir} (it keeps sessions {min(sessions)}-{max(sessions)})"
                        for sid in wanted if sid not in sessions]
    result.problems += [f"{plural_word(len(ids), 'session')} {numbers_text(ids)} not exported: {why}"
                        for why, ids in left_out.items()]
    result.not_exported = [sid for sid in wanted if sid not in result.written]
    return result


def _export_kept(kept: list[dict], store: Store, out_dir: Path, limits: SampleLimits, result: Exported,
                 stop_when_full: bool) -> dict[str, list[int]]:
    """Export the sessions `kept` (`Store.recorded` rows) into `result`; the sessions
    `out_dir` took no more of, by why (the rest with the error that ended the export)."""
    left_out: dict[str, list[int]] = {}
    for n, session in enumerate(kept):
        error = _target_error(session, store, out_dir, limits, result)
        if error is None:
            continue
        result.target_error = result.target_error or error
        why = _refused(error, out_dir)
        if error.errno in FULL_ERRNOS and not stop_when_full:         # a smaller session may fit
            left_out.setdefault(why, []).append(session["id"])
            continue
        left_out[f"{why}; the export stopped at session {session['id']}"] = [s["id"] for s in kept[n:]]
        break                                                          # the rest would fare no better
    return left_out


def _target_error(session: dict, store: Store, out_dir: Path, limits: SampleLimits,
                  result: Exported) -> OSError | None:
    """Export `session` into `result` (written, or a problem of its own); the error writing
    `out_dir`, if that failed."""
    try:
        result.written[session["id"]] = _export_one(store, session, out_dir, limits)
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
    reason = os.strerror(error.errno) if error.errno else str(error)
    return f"{'no room in' if error.errno in FULL_ERRNOS else 'cannot write to'} {out_dir} ({reason})"


def _export_one(store: Store, session: dict, out_dir: Path, limits: SampleLimits) -> Path:
    """Session `session` (a `Store.recorded` row) as DIR/session-NNNNN.edf and .csv; the EDF's path."""
    name = session["recording"]
    if name is None:
        raise ExportError("no recording is kept (the session is still running, or was never stored whole)")
    source = store.recordings_dir / Path(name).name
    if not source.is_file():
        raise ExportError(f"its recording {source} is missing")
    stem = out_dir / f"session-{session['id']:05d}"
    csv_path, edf_path = stem.with_suffix(".csv"), stem.with_suffix(".edf")
    parts = (part_of(csv_path), part_of(edf_path))
    try:
        with open(parts[0], "w", encoding="utf-8", newline="") as copy:
            recording = load_arrays(source, limits, copy_to=copy)
        with _short_write_is_no_space(parts[1]):
            session_edf(recording, session, store.events(session["id"]), limits).write(parts[1])
        os.replace(parts[0], csv_path)
        os.replace(parts[1], edf_path)
    except BaseException:
        for part in parts:
            part.unlink(missing_ok=True)
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
