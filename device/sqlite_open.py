"""The history's SQLite database opened with its text read as far as it can be read.

A byte gone bad in a stored cell (an SD card's bit rot, which `PRAGMA integrity_check` does not see)
made every read of that cell raise `sqlite3.OperationalError` ("Could not decode to UTF-8"), and with
it `history`, the report, every export and every later session's storage; in the schema's text,
`PRAGMA quick_check` raised `UnicodeDecodeError` at every start (a fault campaign). Read with the
bad bytes replaced (U+FFFD), a damaged cell is what the readers already take a damaged cell for (a
summary that cannot be read, a start that is no date), and `quick_check` says what it finds."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_db(database: str | Path, **options) -> sqlite3.Connection:
    """`sqlite3.connect(database, **options)`, its text read leniently."""
    db = sqlite3.connect(database, **options)
    db.text_factory = _lenient
    return db


def _lenient(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def damaged_text(error: UnicodeDecodeError) -> sqlite3.DatabaseError:
    """A bad byte in the schema's own text, which SQLite reports in a message Python cannot decode
    (the `UnicodeDecodeError` a query raises), as the damage it is (SQLITE_CORRUPT)."""
    damaged = sqlite3.DatabaseError(f"malformed database schema: a byte that is no text (0x{error.object[error.start]:02x})")
    damaged.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    return damaged
