"""A piezo buzzer played from the loop's clock, never from a background thread.

gpiozero's own `beep()` times patterns with a thread sleeping in real time; here the
loop calls `update()` at `next_change_s` and the pattern advances on the injected
clock, so cue timing is the same on the Pi and (faster than real time) in the
simulator. A pattern is a tuple of `Beep`s: each sounds for `on_s` at its own pitch,
then is silent for `off_s`.

The buzzer is a passive piezo driven by PWM (a square wave at the tone's frequency,
its loudness set by the duty cycle), so it plays any pitch; it is loudest at its
resonance, `frequency_hz`, and a beep's pitch is given in semitones from there.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from gpiozero import PWMOutputDevice

from drivers.clock import Clock


class Beep(NamedTuple):
    """One sound of a pattern: `on_s` at `pitch_semitones` from the buzzer's resonance
    (negative: lower), then `off_s` of silence."""
    on_s: float
    off_s: float
    pitch_semitones: float = 0.0


Pattern = tuple[Beep, ...]


def tone_hz(frequency_hz: float, pitch_semitones: float) -> float:
    """The frequency `pitch_semitones` (equal-tempered) from `frequency_hz`."""
    return frequency_hz * 2.0 ** (pitch_semitones / 12.0)


class Buzzer:
    """A PWM-driven piezo: `volume` 0-1 (1 is loudest) sets the duty cycle, up to 50 %;
    `frequency_hz` is its resonance, the pitch of a beep with `pitch_semitones` 0."""

    def __init__(self, pin: int, clock: Clock, *, pin_factory=None, frequency_hz: int = 2700,
                 volume: float = 0.5) -> None:
        self._device = PWMOutputDevice(pin, frequency=frequency_hz, pin_factory=pin_factory)
        self._clock = clock
        self.frequency_hz = frequency_hz
        self.volume = volume
        self._pattern: Pattern = ()
        self._tones_hz: tuple[float, ...] = ()     # each beep's PWM frequency, of the pattern playing
        self._tones_of: dict[Pattern, tuple[float, ...]] = {}   # ... of every pattern played so far
        self._tone_hz = float(frequency_hz)        # the PWM frequency now
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
        beep = self._pattern[self._step]
        on_end_s = self._step_start_s + beep.on_s  # summed as update() sums, to the last bit
        return on_end_s if self._sounding else on_end_s + beep.off_s

    def play(self, pattern: Pattern) -> None:
        """Start `pattern` now, replacing whatever was playing. (A cue plays it from the
        sampling loop: a pattern played before allocates nothing.)"""
        tones_hz = self._tones_of.get(pattern)
        if tones_hz is None:
            tones_hz = self._tones_of[pattern] = tuple(tone_hz(self.frequency_hz, beep.pitch_semitones)
                                                       for beep in pattern)
        self._pattern = pattern
        self._tones_hz = tones_hz
        self._step = 0
        self._step_start_s = self._clock.now()
        self._set(bool(pattern))

    def update(self) -> None:
        """Advance the pattern to the clock's now; call every loop tick."""
        pattern = self._pattern
        now_s = self._clock.now()
        while self._step < len(pattern):          # the same sums as next_change_s
            beep = pattern[self._step]
            on_end_s = self._step_start_s + beep.on_s
            if now_s < on_end_s:
                self._set(True)
                return
            if now_s < on_end_s + beep.off_s:
                self._set(False)
                return
            self._step += 1
            self._step_start_s = on_end_s + beep.off_s
        self._set(False)

    def stop(self) -> None:
        self._pattern = ()
        self._step = 0
        self._set(False)

    def close(self) -> None:
        self._device.close()

    def _set(self, on: bool) -> None:
        """Sound the current beep (its pitch set before it sounds) or be silent."""
        if on and self._tones_hz[self._step] != self._tone_hz:
            self._tone_hz = self._tones_hz[self._step]
            self._device.frequency = self._tone_hz
        if on != self._sounding:
            self._sounding = on
            self._device.value = self.volume * 0.5 if on else 0.0
