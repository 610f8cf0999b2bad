"""Small streaming filters for uneven sample spacing: O(1) per sample, no allocation.

`OnePole` is the exponential smoother every tracker here builds on (the model is
BioSPPy's `OnlineFilter`: the filter state lives in a small object with `reset()`).
`Resonator` is a second-order band-pass whose centre may move (the breathing band tuned to
the breathing rate).
`RunningMedian` is the median of the last few values of a statistic, and the mean of those
not far above it: robust where one value can be far off (one window of rest with a fidget
in it).
`History` keeps a decimated trace of a signal for the last few seconds, so a detector
can ask "how far has it fallen within the last second?" without storing every sample.
"""

from __future__ import annotations

import math
from array import array

MAX_GAP_S = 0.5      # samples further apart than this are a gap in the stream, not a sample's spacing


class OnePole:
    """A one-pole low-pass with time constant `tau_s`: each step moves `y` towards the
    input by dt / (tau_s + dt), so the response is the same at any sampling rate."""

    __slots__ = ("tau_s", "y")

    def __init__(self, tau_s: float, y: float = 0.0) -> None:
        self.tau_s = tau_s
        self.y = y

    def reset(self, y: float) -> None:
        self.y = y

    def step(self, x: float, dt_s: float) -> float:
        y = self.y
        y = self.y = y + (x - y) * (dt_s / (self.tau_s + dt_s))
        return y


class Resonator:
    """A second-order band-pass (a state-variable filter, trapezoidal integration) with unity
    gain at its centre `freq_hz` and a bandwidth of freq_hz / `q`; the centre may move from
    one sample to the next. Stable while freq_hz x dt_s < 0.5 (the Nyquist frequency)."""

    __slots__ = ("q", "_k", "_f_dt", "_g", "_a1", "_ic1", "_ic2")

    def __init__(self, q: float) -> None:
        self.q = q
        self._k = 1.0 / q
        self._f_dt = self._g = self._a1 = 0.0
        self.reset()

    def reset(self) -> None:
        self._ic1 = self._ic2 = 0.0

    def step(self, x: float, dt_s: float, freq_hz: float) -> float:
        f_dt = freq_hz * dt_s
        if f_dt != self._f_dt:            # the coefficients, only when the centre or the spacing moved
            self._f_dt = f_dt
            g = self._g = math.tan(math.pi * f_dt)
            self._a1 = 1.0 / (1.0 + g * (g + self._k))
        g, a1 = self._g, self._a1
        a2 = g * a1
        ic1, ic2 = self._ic1, self._ic2
        v3 = x - ic2
        v1 = a1 * ic1 + a2 * v3
        v2 = ic2 + a2 * ic1 + g * a2 * v3
        self._ic1 = 2.0 * v1 - ic1
        self._ic2 = 2.0 * v2 - ic2
        return self._k * v1


class RunningMedian:
    """The median of the last `n` values added (`value`; 0 before the first), kept in two
    preallocated arrays: adding sorts at most `n` values in place, nothing allocated but floats."""

    __slots__ = ("value", "count", "_values", "_sorted", "_head")

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError(f"a running median of {n} values")
        self._values = array("d", bytes(8 * n))
        self._sorted = array("d", bytes(8 * n))
        self.reset()

    def reset(self) -> None:
        self.value = 0.0
        self.count = self._head = 0

    def add(self, x: float) -> float:
        values, size = self._values, len(self._values)
        values[self._head] = x
        self._head = self._head + 1 if self._head + 1 < size else 0
        n = self.count = self.count + 1 if self.count < size else size
        ordered = self._sorted
        i = 0
        while i < n:                            # insertion sort of the n kept values
            v = values[i]
            j = i
            while j > 0 and ordered[j - 1] > v:
                ordered[j] = ordered[j - 1]
                j -= 1
            ordered[j] = v
            i += 1
        half = n // 2
        self.value = ordered[half] if n % 2 else 0.5 * (ordered[half - 1] + ordered[half])
        return self.value

    def mean_up_to(self, limit: float) -> float:
        """The mean of the values kept that are at most `limit` (0 with none)."""
        ordered, total, i = self._sorted, 0.0, 0
        while i < self.count and ordered[i] <= limit:
            total += ordered[i]
            i += 1
        return total / i if i else 0.0


def noise_gain(tau_s: float, dt_s: float) -> float:
    """How much of white noise's sd a OnePole(tau_s) lets through at sample spacing dt_s."""
    a = dt_s / (tau_s + dt_s)
    return (a / (2.0 - a)) ** 0.5


class History:
    """The last `span_s` of a signal, one value every `every_s` (a ring buffer).

    `push(t, value)` may be called every sample and stores a value only when one is due
    (from `due_s` on: a caller may skip the call before then); the queries look back
    over the stored values, newest first. The values due are on a grid, `every_s` apart
    on average whatever the sampling rate (due a step after the last value instead, they
    were 12 ms apart at 250 Hz and 16 ms at 125 Hz for a 10 ms `every_s`: a rise read
    against the value 50 ms before came a sample later at the coarser rate).
    """

    __slots__ = ("every_s", "size", "due_s", "_t", "_v", "_n", "_head")

    def __init__(self, span_s: float, every_s: float) -> None:
        self.every_s = every_s
        self.size = int(span_s / every_s) + 2
        self._t = array("d", bytes(8 * self.size))
        self._v = array("d", bytes(8 * self.size))
        self._n = 0                 # values stored so far (capped at size)
        self._head = -1             # index of the newest
        self.due_s = -1e300         # when the next value is due

    @property
    def span_s(self) -> float:
        """How far back it reaches, once filled."""
        return (self.size - 2) * self.every_s

    def clear(self) -> None:
        self._n = 0
        self._head = -1
        self.due_s = -1e300

    def push(self, t_s: float, value: float) -> None:
        due_s = self.due_s
        if t_s < due_s:
            return
        due_s += self.every_s            # on a grid: one value every `every_s` on average at any rate
        self.due_s = due_s if due_s > t_s else t_s + self.every_s
        head = self._head + 1
        if head == self.size:
            head = 0
        self._head = head
        self._t[head] = t_s
        self._v[head] = value
        if self._n < self.size:
            self._n += 1

    def overwrite_since(self, since_s: float, value: float) -> None:
        """Every value stored after `since_s` becomes `value` (what it should have been)."""
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            if ts[i] <= since_s:
                break
            vs[i] = value
            i = i - 1 if i else self.size - 1

    def max_since(self, since_s: float, default: float) -> float:
        """The largest value stored at or after `since_s` (`default` if none)."""
        best = default
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            if ts[i] < since_s:
                break
            if vs[i] > best:
                best = vs[i]
            i = i - 1 if i else self.size - 1
        return best

    def min_since(self, since_s: float, default: float) -> float:
        """The smallest value stored at or after `since_s` (`default` if none)."""
        best = default
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            if ts[i] < since_s:
                break
            if vs[i] < best:
                best = vs[i]
            i = i - 1 if i else self.size - 1
        return best

    def mean_between(self, t0_s: float, t1_s: float, default: float) -> float:
        """The mean of the values stored from `t0_s` to `t1_s` (`default` if none)."""
        total, n = 0.0, 0
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            t = ts[i]
            if t < t0_s:
                break
            if t <= t1_s:
                total += vs[i]
                n += 1
            i = i - 1 if i else self.size - 1
        return total / n if n else default

    def first_fall(self, since_s: float, until_s: float, window_s: float, drop: float) -> float:
        """The first time from `since_s` to `until_s` at which the values had fallen by more
        than `drop` within `window_s` (NaN if they never did). A rare query: it allocates."""
        i, ts, vs = self._head, self._t, self._v
        times, values = [], []
        for _ in range(self._n):
            if ts[i] < since_s:
                break
            if ts[i] <= until_s:
                times.append(ts[i])
                values.append(vs[i])
            i = i - 1 if i else self.size - 1
        times.reverse()
        values.reverse()
        start = 0
        for k in range(len(times)):
            while times[start] < times[k] - window_s:
                start += 1
            if max(values[start:k + 1]) - values[k] > drop:
                return times[k]
        return math.nan

    def value_at(self, t_s: float, default: float) -> float:
        """The newest value stored at or before `t_s` (`default` if none)."""
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            if ts[i] <= t_s:
                return vs[i]
            i = i - 1 if i else self.size - 1
        return default

    def last_time_at_or_above(self, level: float, default_s: float) -> float:
        """The newest time the signal stood at or above `level` (`default_s` if never):
        where a fall to below `level` began."""
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            if vs[i] >= level:
                return ts[i]
            i = i - 1 if i else self.size - 1
        return default_s

    def last_time_at_or_below(self, level: float, default_s: float) -> float:
        """The newest time the signal stood at or below `level` (`default_s` if never)."""
        i, ts, vs = self._head, self._t, self._v
        for _ in range(self._n):
            if vs[i] <= level:
                return ts[i]
            i = i - 1 if i else self.size - 1
        return default_s
