"""A whole v1 recording in arrays: its samples, metadata, pauses and end, for exports that
need every sample at once (EDF). Read through the strict `RecordingParser`, so a file it
refuses is a `RecordingError` here too.

Memory: 8 bytes per value, about 7 MB for an hour at 250 Hz with the seat.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import IO

import numpy as np

from session.recording import PAUSED, RESUMED, SAMPLE, RecordingParser, SampleLimits
from session.recording_file import blaming_damaged_gzip, text_lines


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


def load_arrays(path, limits: SampleLimits | None = None, copy_to: IO[str] | None = None) -> RecordingArrays:
    """The recording at `path` (plain or gzip) in arrays; every line read is also written to
    `copy_to` as it is, so the copy is the recording's text, decompressed."""
    parser = RecordingParser(str(path), limits)
    metadata: dict[str, str] = {}
    columns = [array("d") for _ in range(4)]
    stretches = array("q")
    pauses: list[Pause] = []
    stretch = 0
    nan = float("nan")
    with blaming_damaged_gzip(path):
        for line in text_lines(path):
            if copy_to is not None:
                copy_to.write(line)
            what = parser.feed(line)
            if what == SAMPLE:
                for column, value in zip(columns, (parser.t_s, parser.perineal_kpa, parser.left_kg, parser.right_kg)):
                    column.append(nan if value is None else value)
                stretches.append(stretch)
            elif what == PAUSED:
                pauses.append(Pause(parser.mark_t_s, None, parser.reason))
                stretch += 1
            elif what == RESUMED:
                pauses[-1] = Pause(pauses[-1].start_s, parser.mark_t_s, pauses[-1].reason)
            elif not parser.columns and line.startswith("#"):        # metadata, above the column line
                key, equals, value = line[1:].partition("=")
                if equals:
                    metadata[key.strip()] = value.strip()
        parser.finish()
    t_s, kpa, left, right = (np.frombuffer(c, dtype=np.float64) for c in columns)
    with_seat = len(parser.columns) == 4
    return RecordingArrays(metadata, t_s, kpa, left if with_seat else None, right if with_seat else None,
                           np.frombuffer(stretches, dtype=np.int64),
                           tuple(pauses), parser.aborted)
