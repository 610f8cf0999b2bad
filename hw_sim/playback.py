"""A v1 recording played back as the cushion's physical input (`pftrainer sim --cushion`).

Stands in for the body model: `sample(t_s)` gives the recorded (perineal_kpa,
left_kg, right_kg), linearly interpolated between rows and held after the last one.
The file is checked whole before the session starts (a bad line refuses it then, with
the line, not halfway through a session), then streamed: only the two rows around `t_s`
are kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from session.recording import Row, SampleLimits, open_rows


class RecordingPlayback:
    def __init__(self, path, t0_s: float = 0.0, limits: SampleLimits | None = None) -> None:
        """`limits`: what the cushion can deliver (a value outside is refused, as by `analyze`)."""
        for _ in open_rows(path, limits):       # every line checked (RecordingError), nothing kept
            pass
        self._rows: Iterator[Row] = open_rows(path)
        self.t0_s = t0_s
        first = next(self._rows)                # the check refused a file without samples
        self._first_t = first[0]
        self._a = self._b = self._fill(first, (first[1], 27.0, 27.0))
        self.ended = False

    @staticmethod
    def _fill(row: Row, previous: tuple) -> tuple:
        t, kpa, left, right = row
        return (t, kpa, previous[1] if left is None else left, previous[2] if right is None else right)

    def sample(self, t_s: float) -> tuple[float, float, float]:
        """The recorded values at body time `t_s` (recording time = t_s - t0_s + first t)."""
        t = t_s - self.t0_s + self._first_t
        while not self.ended and self._b[0] < t:
            row = next(self._rows, None)
            if row is None:
                self.ended = True
                break
            self._a = self._b
            self._b = self._fill(row, self._a[1:])
        a, b = self._a, self._b
        if self.ended or t <= a[0] or b[0] == a[0]:
            src = b if self.ended or t >= b[0] else a
            return src[1], src[2], src[3]
        w = (t - a[0]) / (b[0] - a[0])
        return (a[1] + (b[1] - a[1]) * w, a[2] + (b[2] - a[2]) * w, a[3] + (b[3] - a[3]) * w)
