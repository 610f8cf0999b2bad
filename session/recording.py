"""Recording format v1: the cushion signal of one session as CSV text.

    # pftrainer-recording v1
    # key=value            (optional metadata lines, ignorable)
    t,perineal_kpa,seat_left_kg,seat_right_kg
    0.0000,2.51234,27.100,26.800

`t` is seconds from the start, strictly increasing but not evenly spaced; the seat
columns are optional (absent from the header, or empty cells). Readers stream the
file line by line; writers buffer rows and flush whole lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import IO

MAGIC = "# pftrainer-recording v1"
COLUMNS = ("t", "perineal_kpa", "seat_left_kg", "seat_right_kg")

Row = tuple[float, float, "float | None", "float | None"]


class RecordingError(ValueError):
    """A recording cannot be read; the message names the file and line."""


class RecordingWriter:
    """Writes a v1 recording to a text stream. `metadata` becomes `# key=value` lines."""

    def __init__(self, stream: IO[str], metadata: dict[str, object] | None = None,
                 with_seat: bool = True) -> None:
        self._stream = stream
        self._with_seat = with_seat
        lines = [MAGIC]
        for key, value in (metadata or {}).items():
            text = str(value)
            if "\n" in text or "=" in str(key):
                raise ValueError(f"metadata {key!r} cannot be written on one line")
            lines.append(f"# {key}={text}")
        lines.append(",".join(COLUMNS if with_seat else COLUMNS[:2]))
        stream.write("\n".join(lines) + "\n")

    def write(self, t_s: float, perineal_kpa: float, left_kg: float | None = None,
              right_kg: float | None = None) -> None:
        if self._with_seat:
            left = "" if left_kg is None else f"{left_kg:.3f}"
            right = "" if right_kg is None else f"{right_kg:.3f}"
            self._stream.write(f"{t_s:.4f},{perineal_kpa:.5f},{left},{right}\n")
        else:
            self._stream.write(f"{t_s:.4f},{perineal_kpa:.5f}\n")

    def flush(self) -> None:
        self._stream.flush()


def _number(cell: str, column: str, where: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise RecordingError(f"{where}: {column} is not a number: {cell.strip()[:20]!r}") from None
    if not math.isfinite(value):
        raise RecordingError(f"{where}: {column} is not a finite number: {cell.strip()!r}")
    return value


def read_rows(lines: Iterator[str], source: str = "<recording>") -> Iterator[Row]:
    """Yield (t, perineal_kpa, seat_left_kg | None, seat_right_kg | None), checking every line."""
    n_columns = 0
    last_t = -math.inf
    line_no = 0
    for line_no, line in enumerate(lines, start=1):
        where = f"{source}, line {line_no}"
        if "\x00" in line:
            raise RecordingError(f"{where}: binary data, not a v1 recording")
        line = line.strip()
        if line_no == 1:
            if line != MAGIC:
                raise RecordingError(f"{where}: missing header {MAGIC!r}")
            continue
        if not n_columns:
            if line.startswith("#") or not line:
                continue
            names = tuple(name.strip() for name in line.split(","))
            if names not in (COLUMNS, COLUMNS[:2]):
                raise RecordingError(f"{where}: expected the column line "
                                     f"'{','.join(COLUMNS)}' (seat columns optional)")
            n_columns = len(names)
            continue
        if not line or line.startswith("#"):
            continue
        cells = line.split(",")
        if len(cells) != n_columns:
            raise RecordingError(f"{where}: {len(cells)} fields, expected {n_columns}")
        t = _number(cells[0], "t", where)
        if t <= last_t:
            raise RecordingError(f"{where}: time goes backwards or repeats (t={t} after {last_t})")
        last_t = t
        kpa = _number(cells[1], "perineal_kpa", where)
        left = right = None
        if n_columns == 4:
            left = _number(cells[2], "seat_left_kg", where) if cells[2].strip() else None
            right = _number(cells[3], "seat_right_kg", where) if cells[3].strip() else None
        yield (t, kpa, left, right)
    if line_no == 0:
        raise RecordingError(f"{source}: empty file")
    if not n_columns:
        raise RecordingError(f"{source}: no column line and no samples")


def _decoded(stream: IO[bytes], source: str) -> Iterator[str]:
    for line_no, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise RecordingError(f"{source}, line {line_no}: not UTF-8 text (a binary file?)") from None


def open_rows(path) -> Iterator[Row]:
    """Stream the rows of the recording at `path` (errors name the file and line)."""
    try:
        stream = open(path, "rb")
    except OSError as e:
        raise RecordingError(f"{path}: cannot open: {e.strerror}") from None
    with stream:
        yield from read_rows(_decoded(stream, str(path)), str(path))
