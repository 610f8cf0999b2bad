"""Hearing the buzzer as the user does: beeps and pauses become the cue they stand for.

The device's patterns (`device.buzz.PATTERNS`: the manual, as it were) differ in the
number, the lengths and the pitches of their beeps. The listener watches the buzzer
pin's on/off changes on the simulator's clock, measures every beep (and hears its
pitch: the pin's PWM frequency when it starts, against the piezo's resonance
`resonance_hz`) and every gap, and once a pattern is complete and nothing longer could
still follow, calls `on_cue(start_s, cue)` with the clock time at which the pattern
began. Any duty cycle above zero is a beep, so the volume does not matter -- unless it
is zero: then nothing is heard.
"""

from __future__ import annotations

import math
from typing import Callable

from device.buzz import PATTERNS, Pattern

TOLERANCE_S = 0.009          # beeps and gaps are told apart to within this
TOLERANCE_ST = 0.5           # pitches to within this many semitones


def _close(a_s: float, b_s: float) -> bool:
    return abs(a_s - b_s) <= TOLERANCE_S


class BuzzerListener:
    def __init__(self, clock, pin, on_cue: Callable[[float, str], None], resonance_hz: float,
                 patterns: dict[str, Pattern] = PATTERNS) -> None:
        self.clock = clock
        self.pin = pin
        self.on_cue = on_cue
        self.resonance_hz = resonance_hz
        self.patterns = patterns
        self._heard: list[list[float | None]] = []   # [on_s, off_s or None (still open), pitch_semitones]
        self._start_s = 0.0
        self._on_since_s: float | None = None
        self._off_since_s = 0.0
        self._pitch_semitones = 0.0                   # of the beep sounding
        self._generation = 0
        pin.watchers.append(self._change)

    def _change(self, t_s: float, value: float) -> None:
        if value > 0:
            if self._on_since_s is not None:
                return                                   # louder or softer, still one beep
            if self._heard:
                self._heard[-1][1] = t_s - self._off_since_s
            else:
                self._start_s = t_s
            self._on_since_s = t_s
            self._pitch_semitones = 12.0 * math.log2(self.pin.frequency / self.resonance_hz)
            self._generation += 1
        elif self._on_since_s is not None:
            self._heard.append([t_s - self._on_since_s, None, self._pitch_semitones])
            self._on_since_s = None
            self._off_since_s = t_s
            self._decide(t_s)

    def _fits(self, pattern: Pattern) -> bool:
        heard = self._heard
        if len(pattern) < len(heard):
            return False
        for (on_s, off_s, pitch_semitones), want in zip(heard, pattern):
            if (not _close(on_s, want.on_s) or (off_s is not None and not _close(off_s, want.off_s))
                    or abs(pitch_semitones - want.pitch_semitones) > TOLERANCE_ST):
                return False
        return True

    def _decide(self, t_s: float) -> None:
        n = len(self._heard)
        fitting = [name for name, pattern in self.patterns.items() if self._fits(pattern)]
        complete = [name for name in fitting if len(self.patterns[name]) == n]
        longer = [name for name in fitting if len(self.patterns[name]) > n]
        if not fitting:
            self._heard = []                             # not a pattern: noise, or cut short
        elif not longer:
            self._emit(complete)
        else:                                            # wait for the longest gap that may follow
            wait_s = max(self.patterns[name][n - 1].off_s for name in longer) + TOLERANCE_S
            generation = self._generation
            self.clock.call_at(t_s + wait_s, lambda _t: self._silence(generation, complete))

    def _silence(self, generation: int, complete: list[str]) -> None:
        if generation == self._generation:               # no beep since: the pattern is over
            if complete:
                self._emit(complete)
            else:
                self._heard = []

    def _emit(self, complete: list[str]) -> None:
        heard = self._heard

        def error_s(name: str) -> float:
            return sum(abs(on_s - want.on_s) + abs((off_s or 0.0) - want.off_s)
                       for (on_s, off_s, _), want in zip(heard, self.patterns[name]))
        cue = min(complete, key=error_s)
        self._heard = []
        self.on_cue(self._start_s, cue)
