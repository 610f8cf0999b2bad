"""A piezo buzzer played from the loop's clock, never from a background thread.

gpiozero's own `beep()` times patterns with a thread sleeping in real time; here the
loop calls `update()` at `next_change_s` and the pattern advances on the injected
clock, so cue timing is the same on the Pi and (faster than real time) in the
simulator. A pattern is a tuple of (on_s, off_s) pairs.
"""

from __future__ import annotations

import math

from gpiozero import PWMOutputDevice

from drivers.clock import Clock

Pattern = tuple[tuple[float, float], ...]


class Buzzer:
    """A PWM-driven piezo: `volume` 0-1 (1 is loudest) sets the duty cycle, up to 50 %."""

    def __init__(self, pin: int, clock: Clock, *, pin_factory=None, frequency_hz: int = 2700,
                 volume: float = 0.5) -> None:
        self._device = PWMOutputDevice(pin, frequency=frequency_hz, pin_factory=pin_factory)
        self._clock = clock
        self.volume = volume
        self._pattern: Pattern = ()
        self._step = 0
        self._step_start_s = 0.0
        self._sounding = False

    @property
    def sounding(self) -> bool:
        return self._sounding

    @property
    def busy(self) -> bool:
        """True while a pattern is still playing."""
        return self._step < len(self._pattern)

    @property
    def next_change_s(self) -> float:
        """Clock time at which `update()` has something to do (inf: nothing is playing)."""
        if self._step >= len(self._pattern):
            return math.inf
        on_s, off_s = self._pattern[self._step]
        on_end_s = self._step_start_s + on_s       # summed as update() sums, to the last bit
        return on_end_s if self._sounding else on_end_s + off_s

    def play(self, pattern: Pattern) -> None:
        """Start `pattern` now, replacing whatever was playing."""
        self._pattern = pattern
        self._step = 0
        self._step_start_s = self._clock.now()
        self._set(bool(pattern))

    def update(self) -> None:
        """Advance the pattern to the clock's now; call every loop tick."""
        pattern = self._pattern
        now_s = self._clock.now()
        while self._step < len(pattern):          # the same sums as next_change_s
            on_s, off_s = pattern[self._step]
            on_end_s = self._step_start_s + on_s
            if now_s < on_end_s:
                self._set(True)
                return
            if now_s < on_end_s + off_s:
                self._set(False)
                return
            self._step += 1
            self._step_start_s = on_end_s + off_s
        self._set(False)

    def stop(self) -> None:
        self._pattern = ()
        self._step = 0
        self._set(False)

    def close(self) -> None:
        self._device.close()

    def _set(self, on: bool) -> None:
        if on != self._sounding:
            self._sounding = on
            self._device.value = self.volume * 0.5 if on else 0.0
