"""The history carried off on a USB stick (`pftrainer usb-export`, which
`pftrainer-usb@.service` runs when a stick is plugged in; the simulator's stick too):

    <stick>/pftrainer-export/<date>/report.html          the report page (`device.report`)
    <stick>/pftrainer-export/<date>/session-NNNNN.edf    each kept session as EDF+ and as its
    <stick>/pftrainer-export/<date>/session-NNNNN.csv    v1 recording (`device.export`)

On a device where several people trained, each has a folder of their own under the day's,
`profile-N/`, with their report (in the language they chose on the menu) and their sessions
alone: a couple's physiotherapists each had the other's health data on the stick (a trial).

Nothing outside `pftrainer-export/` is touched, and nothing an earlier export left there
either: a second export on the same day goes to `<date>-2/`, and so on. The day's folder
is written as `<name>.part/` and renamed once whole (a `*.part` folder an export that was
cut off left is removed first), then everything is synced, so the stick may be pulled once
the status says so. An export that fails leaves the stick as it was (`pftrainer-export/`
too, when it made it). The state directory is only read (a read-only `Store`).

The result is a `device.usb_status.UsbStatus`, for the log, the status file and the screen.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from device.config import Config
from device.export import MB, csv_bytes, export_sessions
from device.export_edf import ExportError
from device.layout import StateLayout
from device.report import write_report
from device.storage import Store
from device import stored_values
from device.texts import numbers_text, plural, plural_word
from device.usb_status import (FAILED, FULL, NO_SPACE, NOT_FAT, NOTHING, READ_ONLY, SAVED, UNREADABLE,
                               UsbStatus)
from device.writer import FULL_ERRNOS, StorageError
from session.recording import SampleLimits

FOLDER = "pftrainer-export"
FAT_TYPES = ("vfat", "exfat")            # as blkid names FAT12/16/32 and exFAT
REPORT_NAME = "report.html"
PART = ".part"                           # a day's folder being written
REFUSED_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)


@dataclass(frozen=True)
class StickExport:
    status: UsbStatus
    problems: tuple[str, ...] = ()       # sessions that could not be exported, one line each


def export_to_stick(state_dir: Path, stick: Path, cfg: Config, *, now: datetime.datetime,
                    fs_type: str | None = None) -> StickExport:
    """Write the history in `state_dir` onto the stick mounted at `stick` (a folder, on the
    simulator), dated `now`. With `fs_type` (blkid's name for the stick's filesystem)
    `stick` must be that stick's mount point: another filesystem than FAT or exFAT is left
    alone, and a folder where nothing is mounted means the stick could not be mounted."""
    def outcome(kind: str, detail: str, need_mb: int | None = None) -> StickExport:
        return StickExport(UsbStatus(kind, detail, now.isoformat(timespec="seconds"), need_mb))

    if fs_type is not None and fs_type not in FAT_TYPES:
        return outcome(NOT_FAT, f"the stick's filesystem is {fs_type or 'unknown'}, not FAT or exFAT: left alone")
    if fs_type is not None and not os.path.ismount(stick):
        return outcome(UNREADABLE, f"the {fs_type} stick could not be mounted")
    if not StateLayout(state_dir).database.exists():
        return outcome(NOTHING, f"no history in {state_dir} yet")
    try:
        store = Store(state_dir, read_only=True)
    except StorageError as e:
        return outcome(FAILED, f"the history cannot be read: {e}")
    try:
        return _export(store, stick, cfg, now, outcome)
    except StorageError as e:
        return outcome(FAILED, f"the history cannot be read: {e}")
    finally:
        store.close()


def _export(store: Store, stick: Path, cfg: Config, now: datetime.datetime, outcome) -> StickExport:
    sessions = store.recorded()
    if not sessions:
        return outcome(NOTHING, f"no sessions in {store.state_dir} yet")
    room = os.statvfs(stick)
    if room.f_flag & os.ST_RDONLY:
        return outcome(READ_ONLY, f"{stick} is mounted read-only")
    need_bytes = sum(csv_bytes(store, session) for session in sessions)     # the least the export needs
    if room.f_bavail * room.f_frsize < need_bytes:
        return outcome(NO_SPACE, f"{stick} has {room.f_bavail * room.f_frsize / MB:.1f} MB free; the recordings "
                                 f"alone take {need_bytes / MB:.1f} MB", math.ceil(need_bytes / MB))
    top = stick / FOLDER
    made_top = not top.exists()
    part = None
    problems: list[str] = []
    try:
        top.mkdir(exist_ok=True)
        for leftover in top.glob("*" + PART):
            shutil.rmtree(leftover)
        day = _unused(top, now.date().isoformat())
        part = day.with_name(day.name + PART)
        part.mkdir()
        limits = SampleLimits.from_calibration(cfg.calibration, cfg.adc.full_scale_v)
        people = sorted({session["profile"] for session in sessions})
        written, missing = [], []
        for person in people:          # several people: each in a folder of their own, in their language
            folder = part if len(people) == 1 else part / f"profile-{person}"
            folder.mkdir(exist_ok=True)
            lang = stored_values.person_language(store, person, len(people), cfg.ui.language)
            with _plot_cache():
                write_report(store, folder / REPORT_NAME, cfg=cfg, profile=None if len(people) == 1 else person,
                             lang=lang)
            exported = export_sessions(store, folder, limits, profile=None if len(people) == 1 else person,
                                       stop_when_full=True)
            if exported.target_error is not None:
                raise exported.target_error
            written += exported.written
            missing += exported.not_exported
            problems += exported.problems
        part.rename(day)
        part = None
        os.sync()
    except ExportError as e:
        return outcome(FAILED, str(e))
    except StorageError:
        raise
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        return outcome(_kind(e, stick), f"{where}{e.strerror or e}")
    finally:
        if part is not None:                   # it failed: the stick as it was
            shutil.rmtree(part, ignore_errors=True)
            if made_top:
                shutil.rmtree(top, ignore_errors=True)
    left_out = (f"; {len(missing)} not: {plural_word(len(missing), 'session')} {numbers_text(sorted(missing))} "
                f"(see the log)") if missing else ""        # named: the simulator's run showed only this line (a trial)
    reports = "the report" if len(people) == 1 else f"a report for each of {len(people)} people"
    return StickExport(
        UsbStatus(SAVED, f"{day.relative_to(stick)}: {reports} and {plural(len(written), 'session')}"
                         f"{left_out}", now.isoformat(timespec="seconds")),
        tuple(problems))


@contextlib.contextmanager
def _plot_cache():
    """The report's plotting library keeps a font cache in its config folder; the stick's
    unit runs with no writable home, so it gets a temporary one (else it warns each time)."""
    if "MPLCONFIGDIR" in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pftrainer-plots-") as cache:
        os.environ["MPLCONFIGDIR"] = cache
        try:
            yield
        finally:
            del os.environ["MPLCONFIGDIR"]


def _unused(top: Path, name: str) -> Path:
    """`top/name`, or `name-2`, `name-3`... when an earlier export has it."""
    path, n = top / name, 1
    while path.exists() or path.with_name(path.name + PART).exists():
        n += 1
        path = top / f"{name}-{n}"
    return path


def _kind(error: OSError, stick: Path) -> str:
    """What a failed write says about the stick: full, refusing writes, or neither (an
    error reading the history, the stick pulled out)."""
    if error.errno in FULL_ERRNOS:
        return FULL
    on_stick = error.filename is not None and Path(os.fsdecode(error.filename)).resolve().is_relative_to(stick.resolve())
    return READ_ONLY if error.errno in REFUSED_ERRNOS and on_stick else FAILED
