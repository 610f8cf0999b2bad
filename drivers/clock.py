"""The time source every time-based part of the device reads.

Loop pacing, ADC timeouts and buzzer patterns all take a `Clock` so that the
simulator can hand them a virtual one (hw_sim.clock.VirtualClock) and run a
session deterministically and faster than real time.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Monotonic seconds plus a way to wait."""

    def now(self) -> float:
        """Seconds on a monotonic time base (never jumps with the wall clock)."""

    def sleep(self, duration_s: float) -> None:
        """Wait `duration_s` seconds (no-op when <= 0)."""


class MonotonicClock:
    """The real clock: `time.monotonic` and `time.sleep`."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, duration_s: float) -> None:
        if duration_s > 0:
            time.sleep(duration_s)
