"""Files that are whole or absent: written under a temporary name, synced, renamed.

A crash or power cut at any moment leaves either the old state or the new file, never
half of one; what a database row will point at is on the SD card, folder entry
included, before the row is written.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

PART = ".part"              # the suffix of a file being written


def part_of(target: Path) -> Path:
    return target.with_name(target.name + PART)


def sync_folder(folder: Path) -> None:
    """Put `folder`'s entries (a file created, renamed or removed) on the storage itself."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def compress(source: Path, target: Path) -> None:
    """`source` gzip-compressed to `target`, on the SD card before anything points at it.
    The gzip header carries no time: a wall clock before 1970 or after 2106 cannot break
    it. A failure (the disk full) leaves no partial file behind."""
    part = part_of(target)
    try:
        with open(source, "rb") as src, open(part, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, filename="", mtime=0) as dst:
                shutil.copyfileobj(src, dst)
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    sync_folder(target.parent)


def write_durably(path: Path, text: str) -> None:
    """`path` holds `text` whole, on the SD card with its folder entry, or keeps what it
    held: for a file the history will be rebuilt from."""
    part = part_of(path)
    try:
        with open(part, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, path)
    sync_folder(path.parent)


def write_text(path: Path, text: str) -> None:
    """`path` holds `text` whole, or keeps what it held (no sync: nothing points at it)."""
    part = part_of(path)
    try:
        part.write_text(text, encoding="utf-8")
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, path)
