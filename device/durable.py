"""Files that are whole or absent: written under a temporary name, synced, renamed.

A crash or power cut at any moment leaves either the old state or the new file, never
half of one; what a database row will point at is on the SD card, folder entry
included, before the row is written.
"""

from __future__ import annotations

import os
import shutil
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from session.recording_file import GZIP_MAGIC

PART = ".part"              # the suffix of a file being written
GZIP_LEVEL = 6              # zlib's default: a recording shrinks about 5x
GZIP_WBITS = 31             # zlib's gzip wrapper: a header with no name and no time


def part_of(target: Path) -> Path:
    return target.with_name(target.name + PART)


def sync_folder(folder: Path) -> None:
    """Put `folder`'s entries (a file created, renamed or removed) on the storage itself."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def gzip_compressor():
    """A zlib compressor that writes a gzip stream. Its header carries no time, so a wall
    clock before 1970 or after 2106 cannot break it."""
    return zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, GZIP_WBITS)


def write_gzip_durably(target: Path, data: bytes) -> None:
    """`data` gzip-compressed to `target`, on the SD card before anything points at it; a
    failure (the disk full) leaves no partial file behind."""
    deflate = gzip_compressor()
    _write_whole(target, deflate.compress(data) + deflate.flush())


def copy_durably(source: Path, target: Path) -> None:
    """A copy of `source` at `target`, on the SD card before anything points at it."""
    part = part_of(target)
    try:
        shutil.copyfile(source, part)
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    sync_folder(target.parent)


def move_durably(source: Path, target: Path) -> None:
    """`source` (synced already) renamed to `target` on the same filesystem, both folders'
    entries on the SD card: no second copy is needed on a full disk."""
    os.replace(source, target)
    sync_folder(target.parent)
    sync_folder(source.parent)


def whole_lines(path: Path) -> bytes:
    """What the recording file at `path` holds up to its last whole line: plain text, or
    gzip -- a stream the device was writing when it died (no end, a block cut short) is
    read as far as it goes. Raises OSError when the file cannot be read."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        data = _inflated(data)
    return data[:data.rfind(b"\n") + 1]


def _inflated(data: bytes, block_bytes: int = 4096) -> bytes:
    """A gzip stream decompressed a block at a time, up to where it ends or is damaged."""
    inflate = zlib.decompressobj(GZIP_WBITS)
    out = []
    for start in range(0, len(data), block_bytes):
        try:
            out.append(inflate.decompress(data[start:start + block_bytes]))
        except zlib.error:
            break
        if inflate.eof:
            break
    return b"".join(out)


def _write_whole(target: Path, data: bytes, *, sync: bool = True) -> None:
    """`target` holds `data` whole (written under a temporary name, renamed), or keeps what
    it held; with `sync`, on the storage itself with its folder entry. A target that is
    neither a file nor a folder -- a device such as /dev/null, a pipe -- is written into,
    never replaced. An OSError names `target`, not the temporary file."""
    if target.exists() and not target.is_file() and not target.is_dir():
        with errors_named(target), open(target, "wb") as f:
            f.write(data)
        return
    part = part_of(target)
    try:
        with errors_named(target), open(part, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    with errors_named(target):
        os.replace(part, target)
    if sync:
        sync_folder(target.parent)


@contextmanager
def errors_named(target: Path) -> Iterator[None]:
    """An OSError raised inside as one about `target` (a full disk's has no file name)."""
    try:
        yield
    except OSError as e:
        if e.errno is None:
            raise
        raise OSError(e.errno, e.strerror, str(target)) from e


def write_durably(path: Path, text: str) -> None:
    """`path` holds `text` whole, on the SD card with its folder entry, or keeps what it
    held: for a file the history will be rebuilt from."""
    _write_whole(path, text.encode("utf-8"))


def write_text(path: Path, text: str) -> None:
    """`path` holds `text` whole, or keeps what it held (no sync: nothing points at it)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """`path` holds `data` whole, or keeps what it held (no sync: nothing points at it)."""
    _write_whole(path, data, sync=False)
