"""What became of a USB stick, handed from the export (`pftrainer usb-export`, run by
`pftrainer-usb@.service`) to the running appliance: one small JSON file,

    {"outcome": "saved", "detail": "pftrainer-export/2026-11-30: the report and 12 sessions",
     "at": "2026-11-30T14:02:11", "need_mb": null}

in the service's runtime directory (`/run/pftrainer`, mode 0700, emptied when the service
starts), written whole under a temporary name and renamed. The appliance looks at it on a
timer (`StatusWatch.poll`: a stat, and a read only of a file it has not seen yet); the two
never talk otherwise.

`outcome` is one of OUTCOMES; the screen's words for it are `device.texts`' `usb_<outcome>`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from device.durable import write_text

STATUS_NAME = "usb-status.json"

SAVED = "saved"                 # the export is on the stick
FULL = "full"                   # the stick filled up while it was written (nothing of it kept)
NO_SPACE = "no_space"           # the stick has less room than the recordings alone take (nothing written)
READ_ONLY = "read_only"         # mounted read-only (a write-protect switch) or refusing writes
NOT_FAT = "not_fat"             # another filesystem than FAT or exFAT: left alone
UNREADABLE = "unreadable"       # FAT or exFAT, but it could not be mounted
NOTHING = "nothing"             # no sessions kept yet: nothing written
FAILED = "failed"               # anything else (the history unreadable, the stick pulled out)
OUTCOMES = (SAVED, FULL, NO_SPACE, READ_ONLY, NOT_FAT, UNREADABLE, NOTHING, FAILED)


class UsbStatusError(ValueError):
    """The status file is there but is not a status."""


@dataclass(frozen=True)
class UsbStatus:
    outcome: str                # one of OUTCOMES
    detail: str                 # one line for the log: where it went, or why not
    at: str                     # when (ISO 8601, the wall clock)
    need_mb: int | None = None  # NO_SPACE: the room the recordings alone take, in MB


def status_path(environ: dict[str, str]) -> Path | None:
    """Where the appliance finds the status: in systemd's `$RUNTIME_DIRECTORY` (set by the
    service's RuntimeDirectory=); None outside the service (nobody writes one then)."""
    runtime_dir = environ.get("RUNTIME_DIRECTORY")
    return Path(runtime_dir.split(":")[0]) / STATUS_NAME if runtime_dir else None


def write_status(path: Path, status: UsbStatus) -> None:
    """`status` as `path`, whole or not at all."""
    write_text(path, json.dumps(asdict(status)) + "\n")


def read_status(path: Path) -> UsbStatus:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UsbStatusError(f"{path}: unreadable: {e}") from None
    if not isinstance(data, dict) or data.get("outcome") not in OUTCOMES:
        raise UsbStatusError(f"{path}: not a USB status (outcome one of {', '.join(OUTCOMES)})")
    need_mb = data.get("need_mb")
    return UsbStatus(data["outcome"], str(data.get("detail", "")), str(data.get("at", "")),
                     need_mb if isinstance(need_mb, int) and not isinstance(need_mb, bool) else None)


class StatusWatch:
    """The statuses written to `path` since the watch began, each once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int] | None = None    # (inode, mtime ns, size) of the last one read

    def poll(self) -> UsbStatus | None:
        """A status not seen before, or None; UsbStatusError for a file that is none."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key == self._seen:
            return None
        self._seen = key
        return read_status(self.path)
