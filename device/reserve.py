"""Room kept back for the database: a file of zeros in the state directory
(`pftrainer.reserve`) that the writer deletes when a database write finds the disk full,
so that scored reps and session rows are written before recording bytes.

It is made only when there is room (a failure leaves no part of it behind), and made
again before the next file write once there is room again: until then file writes wait,
so recording bytes never take the room the database was given.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from device.durable import part_of, sync_folder

RESERVE_BYTES = 256 * 1024      # a day of database rows (a rep is one or two 4 KiB pages of log)
_BLOCK_BYTES = 64 * 1024


class Reserve:
    """The reserve file at `path`, `size_bytes` long when present."""

    def __init__(self, path: Path, size_bytes: int = RESERVE_BYTES) -> None:
        self.path = path
        self.size_bytes = size_bytes
        self.present = path.exists()

    def make(self) -> None:
        """Write the reserve unless it is there (OSError, and nothing left, when there is no room)."""
        if self.present:
            return
        part = part_of(self.path)
        try:
            with open(part, "wb", buffering=0) as f:
                for _ in range(0, self.size_bytes, _BLOCK_BYTES):
                    if f.write(bytes(_BLOCK_BYTES)) != _BLOCK_BYTES:          # a short write: the disk is full
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                os.fsync(f.fileno())
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, self.path)
        sync_folder(self.path.parent)
        self.present = True

    def free(self) -> bool:
        """Delete the reserve, giving its room to whoever writes next; False if it was not there."""
        if not self.present:
            return False
        self.path.unlink(missing_ok=True)
        self.present = False
        return True
