"""Files the writer thread appends to, in order with its other jobs (`device.writer`):
a text file (the cue log, `pftrainer record`'s recording) and a gzip-compressed one (a
session's recording, compressed as it is written).

Each append goes to the OS whole before the next; one that fails half-way (the disk
full) goes on where it stopped when the writer tries it again. What reached the OS
outlives a killed process; `sync()` puts it on the storage itself.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Callable

from device.durable import errors_named, gzip_compressor, sync_folder
from device.writer import Writer


class TextFile:
    """A text file that the writer thread creates (empty), appends to and closes;
    `after_database`: each of its writes waits for the database jobs asked for before it
    (see `Writer.submit`)."""

    def __init__(self, writer: Writer, path: Path, *, after_database: bool = False) -> None:
        self._writer = writer
        self.path = path
        self._fd: int | None = None
        self._after_database = after_database

        def open_it():
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            sync_folder(path.parent)
        self._submit(open_it)

    def _submit(self, job: Callable[[], None]) -> None:
        self._writer.submit(job, after_database=self._after_database, files=(self.path,))

    def append(self, text: str) -> None:
        self._append(lambda: text.encode("utf-8"))

    def _append(self, make_bytes: Callable[[], bytes]) -> None:
        """Write the bytes `make_bytes()` returns, made once, in the writer thread."""
        data: memoryview | None = None
        written = 0

        def write():
            nonlocal data, written
            if data is None:
                data = memoryview(make_bytes())
            with errors_named(self.path):           # a full disk's error names no file
                while written < len(data):
                    written += os.write(self._fd, data[written:])
        self._submit(write)

    def sync(self) -> None:
        """Have what was appended so far put on the storage itself (fsync)."""
        def sync_it():
            with errors_named(self.path):
                os.fsync(self._fd)
        self._submit(sync_it)

    def close(self) -> None:
        def close_it():
            fd, self._fd = self._fd, None
            if fd is not None:
                os.close(fd)
        self._submit(close_it)


class GzipTextFile(TextFile):
    """A text file written as one gzip stream. Every append is compressed and flushed to
    a byte boundary (Z_SYNC_FLUSH, about 5 bytes), so what reached the OS decompresses
    whole up to the last append even when the process dies before `close()` ends the
    stream; a full disk then needs a fifth of the room, and keeping the file needs none."""

    def __init__(self, writer: Writer, path: Path) -> None:
        super().__init__(writer, path)
        self._deflate = gzip_compressor()

    def append(self, text: str) -> None:
        deflate = self._deflate
        self._append(lambda: deflate.compress(text.encode("utf-8")) + deflate.flush(zlib.Z_SYNC_FLUSH))

    def close(self) -> None:
        """End the stream, put it on the storage and close the file."""
        self._append(self._deflate.flush)
        self.sync()
        super().close()
