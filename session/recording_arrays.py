"""A whole v1 recording in arrays: its samples, metadata, pauses and end, for exports that
need every sample at once (EDF). Read through the strict `RecordingParser`, so a file it
refuses is a `RecordingError` here too. Runs of plain sample lines are converted and checked
`BLOCK_LINES` at a time as arrays (the parser says which runs are plain and takes the
result): 3.7 us a row here where a line at a time took 8.1.

Memory: 8 bytes per value, about 7 MB for an hour at 250 Hz with the seat.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import IO

import numpy as np

from session.recording import MAX_TIME_STEP_S, MIN_STEP_TAKEN_S, PAUSED, RESUMED, SAMPLE, RecordingParser, SampleLimits
from session.recording_file import blaming_damaged_gzip, text_lines

NAN = float("nan")


@dataclass(frozen=True)
class Pause:
    """A `# paused=` line (`start_s`, its `reason`) and its `# resumed=` (`end_s`; None when
    the recording ends paused)."""

    start_s: float
    end_s: float | None
    reason: str


@dataclass(frozen=True)
class RecordingArrays:
    """The samples of one recording: times `t_s` (strictly increasing), `perineal_kpa`, and
    the seat columns (NaN where a cell is empty; None when the file has no seat columns);
    `stretch` numbers the runs of samples between pauses (0 before the first pause)."""

    metadata: dict[str, str]
    t_s: np.ndarray
    perineal_kpa: np.ndarray
    seat_left_kg: np.ndarray | None
    seat_right_kg: np.ndarray | None
    stretch: np.ndarray
    pauses: tuple[Pause, ...]
    aborted: str | None


BLOCK_LINES = 1024      # sample lines converted and checked at once


def load_arrays(path, limits: SampleLimits | None = None, copy_to: IO[str] | None = None) -> RecordingArrays:
    """The recording at `path` (plain or gzip) in arrays; every line read is also written to
    `copy_to` as it is, so the copy is the recording's text, decompressed."""
    parser = RecordingParser(str(path), limits)
    arrays = _Filling(parser)
    pending: list[str] = []
    with blaming_damaged_gzip(path):
        for line in text_lines(path):
            if copy_to is not None:
                copy_to.write(line)
            if line[:1] in _SAMPLE_STARTS and parser.columns:
                pending.append(line)
                if len(pending) == BLOCK_LINES:
                    arrays.block(pending)
                    pending.clear()
                continue
            if pending:
                arrays.block(pending)
                pending.clear()
            arrays.line(line)
        if pending:
            arrays.block(pending)
        parser.finish()
    t_s, kpa, left, right = (np.frombuffer(c, dtype=np.float64) for c in arrays.columns)
    with_seat = len(parser.columns) == 4
    return RecordingArrays(arrays.metadata, t_s, kpa, left if with_seat else None, right if with_seat else None,
                           np.frombuffer(arrays.stretches, dtype=np.int64),
                           tuple(arrays.pauses), parser.aborted)


_SAMPLE_STARTS = frozenset("-0123456789")


class _Filling:
    """The arrays of a recording being read, through `parser`: a line at a time, or a run
    of sample lines at once (converted and checked as whole arrays: a few times quicker;
    a run that is not plain samples that pass goes a line at a time, so the error names
    the line)."""

    def __init__(self, parser: RecordingParser) -> None:
        self.parser = parser
        self.metadata: dict[str, str] = {}
        self.columns = [array("d") for _ in range(4)]
        self.stretches = array("q")
        self.pauses: list[Pause] = []
        self.stretch = 0

    def line(self, line: str) -> None:
        parser = self.parser
        what = parser.feed(line)
        if what == SAMPLE:
            for column, value in zip(self.columns, (parser.t_s, parser.perineal_kpa, parser.left_kg,
                                                    parser.right_kg)):
                column.append(NAN if value is None else value)
            self.stretches.append(self.stretch)
        elif what == PAUSED:
            self.pauses.append(Pause(parser.mark_t_s, None, parser.reason))
            self.stretch += 1
        elif what == RESUMED:
            self.pauses[-1] = Pause(self.pauses[-1].start_s, parser.mark_t_s, self.pauses[-1].reason)
        elif not parser.columns and line.startswith("#"):        # metadata, above the column line
            key, equals, value = line[1:].partition("=")
            if equals:
                self.metadata[key.strip()] = value.strip()

    def block(self, lines: list[str]) -> None:
        values = self._checked("".join(lines), len(lines))
        if values is None:
            for line in lines:
                self.line(line)
            return
        n = len(lines)
        for i, column in enumerate(self.columns):
            column.frombytes((values[:, i] if i < values.shape[1] else np.full(n, NAN)).tobytes())
        self.stretches.frombytes(np.full(n, self.stretch, dtype=np.int64).tobytes())
        last = values[-1].tolist()
        self.parser.accept_block(n, (last[0], last[1], *(last[2:] if len(last) == 4 else (None, None))))

    def _checked(self, text: str, n: int) -> np.ndarray | None:
        """The `n` sample lines `text` as an n x columns array, each checked as the parser
        checks it; None when they are not plain samples or one of them fails."""
        parser = self.parser
        if not parser.plain_block(text):
            return None
        width = len(parser.columns)
        values = np.array(text.replace("\n", ",").split(",")[:-1], dtype=np.float64).reshape(n, width)
        t_s = values[:, 0]
        before = np.concatenate(([parser.last_t_s], t_s[:-1]))
        earliest = np.concatenate(([parser.next_t_s], t_s[:-1] + MIN_STEP_TAKEN_S))
        if not ((earliest <= t_s).all() and (t_s <= before + MAX_TIME_STEP_S).all()):
            return None
        limits = parser.limits
        spans = (limits.perineal_kpa, limits.seat_left_kg, limits.seat_right_kg)[:width - 1]
        for i, (low, high) in enumerate(spans, start=1):
            if values[:, i].min() < low or values[:, i].max() > high:
                return None
        return values
