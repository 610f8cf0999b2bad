"""A damaged database: moved aside (never deleted) and what can still be read copied out.

`move_aside` renames `pftrainer.db` with its `-wal` and `-shm` to
`pftrainer.db.damaged-<time>` (the same suffixes after it, so SQLite still finds the
log that belongs to it). `salvage` reads that copy through a read-only connection,
table by table in rowid order, steps over rows it cannot read, and copies every row
it can into the fresh database (a row whose session was lost is left out). The copy
stays where it is for a better tool (the sqlite3 shell's `.recover`).
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from pathlib import Path

TABLES = ("setting", "maximum", "session", "rep", "event")      # parents before children
SIDE_FILES = ("-wal", "-shm")
MAX_ROWID = 1 << 62


def move_aside(path: Path) -> Path:
    """Rename the database at `path` (and its side files) to a free `<name>.damaged-<time>`;
    returns the new path."""
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    os.replace(path, aside)
    return aside


def salvage(damaged: Path, into: sqlite3.Connection) -> dict[str, int]:
    """Copy every row that can be read from the database file `damaged` into `into`
    (same schema, committed); returns the rows copied per table."""
    logged = damaged.with_name(damaged.name + "-wal").exists()     # else: read it as it is, making nothing
    try:      # read strictly: a row with a byte gone bad is left out, and rebuilt whole from its kept summary
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro{'' if logged else '&immutable=1'}",
                                 uri=True)                          # (copied with U+FFFD, it never was: a review)
        source.execute("PRAGMA writable_schema = ON")   # the tables past a damaged one in the schema read too
    except sqlite3.Error:
        return {table: 0 for table in TABLES}
    copied = {}
    try:
        for table in TABLES:
            columns = [row[1] for row in into.execute(f"PRAGMA table_info({table})")]
            try:                         # an older schema (1: no profiles) has fewer: those it has
                had = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
            except (sqlite3.Error, UnicodeDecodeError):       # (a schema whose text is damaged: none)
                had = set()
            columns = [c for c in columns if c in had] or columns
            insert = (f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "
                      f"VALUES ({', '.join('?' * len(columns))})")
            copied[table] = 0
            with into:
                for row in _readable_rows(source, table, columns):
                    try:
                        copied[table] += into.execute(insert, row).rowcount
                    except sqlite3.IntegrityError:          # its session was not readable
                        pass
    finally:
        source.close()
    return copied


def _readable_rows(source: sqlite3.Connection, table: str, columns: list[str]):
    """The rows of `table` in rowid order; where a page cannot be read, the scan starts
    again further on (1, 2, 4, ... rowids on) until it reads again."""
    query = f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid >= ? ORDER BY rowid"
    start, step = 0, 1
    while start <= MAX_ROWID:
        try:
            for row in source.execute(query, (start,)):
                start, step = row[0] + 1, 1
                yield row[1:]
            return
        except (sqlite3.DatabaseError, UnicodeDecodeError):     # (the schema's text damaged: nothing reads)
            start += step
            step *= 2
