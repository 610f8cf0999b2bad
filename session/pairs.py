"""Samples analysed two at a time: the mean of each pair of sample slots.

Sampled at 200 Hz or more, the cushion is analysed on the mean of each pair of
consecutive slots (slot k = t x rate rounded, halves up; pairs k = 2j and 2j + 1), at the pair's
second sample's time: the analysis runs at half the sampling rate (100-200 Hz, within
the 50-250 Hz it is benchmarked at, where the body's fastest movement -- a cough,
~0.1 s -- is still 10 or more samples), on samples with half the noise power, at about
half the CPU (on a Pi Zero 2 W the analysis is most of the device's work per sample). Every
sample is still recorded.

A sample whose partner was dropped is analysed alone: a second at once, a first once a
sample of another pair comes (a sample coming then waits for the next one, whatever its
slot). A pause, and the end of a session, leave a sample held unanalysed (`clear()` at a
pause; nothing follows the last one). The rule reads only the samples' times, so a replay
of a recording pairs the rows exactly as the device paired the samples, and finds the very
events the device found.
"""

from __future__ import annotations

PAIRS_FROM_HZ = 200.0    # sampled at this rate or faster, the analysis takes samples two at a time


def analysed_every(rate_hz: float) -> int:
    """How many samples' slots make one analysed sample at `rate_hz` (1 or 2)."""
    return 2 if rate_hz >= PAIRS_FROM_HZ else 1


class SamplePairs:
    """Pairs samples by their slot (`every` = 2) or passes each one on (`every` = 1).

    `add(t, kpa, left_kg, right_kg)` returns True when a sample to analyse is ready:
    then `t`, `kpa`, `left_kg` and `right_kg` hold it (a seat value is None when neither
    sample had one). Adds allocate nothing."""

    __slots__ = ("every", "rate_hz", "t", "kpa", "left_kg", "right_kg", "_pair", "_t", "_kpa",
                 "_left_kg", "_right_kg")

    def __init__(self, rate_hz: float, every: int | None = None) -> None:
        self.rate_hz = rate_hz
        self.every = analysed_every(rate_hz) if every is None else every
        if self.every not in (1, 2):
            raise ValueError(f"samples are analysed one or two at a time, not {self.every}")
        if self.every == 2 and not rate_hz > 0.0:
            raise ValueError(f"samples are paired by their slots: a sampling rate above 0 is needed, not {rate_hz}")
        self.t = self.kpa = 0.0
        self.left_kg: float | None = None
        self.right_kg: float | None = None
        self._pair = -1              # the pair of the first sample held (-1: none held)
        self._t = self._kpa = 0.0
        self._left_kg: float | None = None
        self._right_kg: float | None = None

    def clear(self) -> None:
        """Forget a sample held: a pause (or a replay's gap) cut it off from its partner."""
        self._pair = -1

    def add(self, t: float, kpa: float, left_kg: float | None, right_kg: float | None) -> bool:
        if self.every == 1:
            self.t, self.kpa, self.left_kg, self.right_kg = t, kpa, left_kg, right_kg
            return True
        slot = int(t * self.rate_hz + 0.5)
        pair = slot >> 1
        held = self._pair
        if held == pair:                     # the held one's partner: their mean
            self._pair = -1
            self.t = t
            self.kpa = (self._kpa + kpa) * 0.5
            first = self._left_kg
            self.left_kg = left_kg if first is None else first if left_kg is None else (first + left_kg) * 0.5
            first = self._right_kg
            self.right_kg = right_kg if first is None else first if right_kg is None else (first + right_kg) * 0.5
            return True
        if held >= 0:                        # the one held lost its partner: it goes alone, this one waits
            self.t, self.kpa, self.left_kg, self.right_kg = self._t, self._kpa, self._left_kg, self._right_kg
        elif slot & 1:                       # a second without its first: alone, at once
            self.t, self.kpa, self.left_kg, self.right_kg = t, kpa, left_kg, right_kg
            return True
        self._pair = pair
        self._t, self._kpa, self._left_kg, self._right_kg = t, kpa, left_kg, right_kg
        return held >= 0
