"""The device's one loop: timers on one monotonic clock, as in Klipper's `klippy/reactor.py`.

A timer's callback receives the event time (the clock's seconds when it runs) and
returns the time it wants to run next (`NEVER`: not until `update_timer` wakes it).
Everything the device does -- sampling, the screen, the buzzer, the buttons, the
watchdog -- is such a timer; nothing waits but `run()` itself, until the earliest timer
is due. Timers run in the order they were registered, so the sampler, registered
first, goes first when several are due.

CPU accounting: with a `cpu_meter` (a function returning the seconds of CPU the device
has used so far), each callback's CPU time is measured into its `Timer` (`cpu_s`,
`calls`, `max_cpu_s`). With `cpu_factor` > 0 -- on the simulator, whose clock only
moves when told -- that CPU time times the factor is charged to the clock after the
callback: the time the callback would have taken on a Pi that much slower than this
machine. Late samples and jitter in a simulated run are then what that Pi would see.
"""

from __future__ import annotations

import math
from typing import Callable

from drivers.clock import Clock

NOW = 0.0
NEVER = math.inf

TimerCallback = Callable[[float], float]


class ReactorError(RuntimeError):
    """The loop cannot go on: no timer will ever be due again."""


class Timer:
    """A registered callback, its next wake time and what it has cost so far."""

    __slots__ = ("callback", "waketime", "name", "cpu_s", "calls", "max_cpu_s", "_running")

    def __init__(self, callback: TimerCallback, waketime: float, name: str) -> None:
        self.callback = callback
        self.waketime = waketime
        self.name = name
        self.cpu_s = 0.0
        self.calls = 0
        self.max_cpu_s = 0.0
        self._running = False


class Reactor:
    def __init__(self, clock: Clock, *, cpu_meter: Callable[[], float] | None = None,
                 cpu_factor: float = 0.0) -> None:
        if cpu_factor and cpu_meter is None:
            raise ValueError("charging CPU time (cpu_factor) needs a cpu_meter")
        self.clock = clock
        self.cpu_meter = cpu_meter
        self.cpu_factor = cpu_factor
        self.charged_s = 0.0            # clock time charged for CPU so far
        self._timers: list[Timer] = []
        self._next_s = NEVER
        self._running = False

    def now(self) -> float:
        return self.clock.now()

    # --- timers ------------------------------------------------------------------------------
    def register_timer(self, callback: TimerCallback, waketime: float = NEVER,
                       name: str = "") -> Timer:
        timer = Timer(callback, waketime, name or getattr(callback, "__name__", "timer"))
        self._timers = self._timers + [timer]        # a copy: safe while the loop iterates
        self._next_s = min(self._next_s, waketime)
        return timer

    def unregister_timer(self, timer: Timer) -> None:
        timer.waketime = NEVER
        self._timers = [t for t in self._timers if t is not timer]

    def update_timer(self, timer: Timer, waketime: float) -> None:
        """Wake `timer` at `waketime` instead (NOW: as soon as the loop gets to it). A
        running timer's own return value decides for itself."""
        if timer._running:
            return
        timer.waketime = waketime
        if waketime < self._next_s:
            self._next_s = waketime

    def free_until(self, timer: Timer) -> float:
        """When the earliest timer other than `timer` is due: work `timer` starts now
        must end by then not to delay it."""
        earliest = NEVER
        for other in self._timers:
            if other is not timer and other.waketime < earliest:
                earliest = other.waketime
        return earliest

    @property
    def timers(self) -> tuple[Timer, ...]:
        return tuple(self._timers)

    # --- the loop ----------------------------------------------------------------------------
    def run(self) -> None:
        """Run timers until `end()`. An exception from a callback ends the loop and is
        raised here; the timers stay registered."""
        self._running = True
        clock = self.clock
        while self._running:
            now = clock.now()
            if self._next_s > now:
                if self._next_s == NEVER:
                    raise ReactorError("no timer is due, ever: the loop would wait forever")
                clock.sleep(self._next_s - now)
                now = clock.now()
            self._check_timers(now)

    def end(self) -> None:
        """Leave `run()` once the callback that called this returns."""
        self._running = False

    def _check_timers(self, eventtime: float) -> None:
        self._next_s = NEVER
        next_s = NEVER
        for timer in self._timers:
            waketime = timer.waketime
            if eventtime >= waketime:
                waketime = self._fire(timer)
                if not self._running:
                    self._next_s = NOW
                    return
            if waketime < next_s:
                next_s = waketime
        if next_s < self._next_s:
            self._next_s = next_s

    def _fire(self, timer: Timer) -> float:
        timer.waketime = NEVER
        timer._running = True
        meter = self.cpu_meter
        try:
            if meter is None:
                waketime = timer.callback(self.clock.now())
            else:
                start_s = meter()
                waketime = timer.callback(self.clock.now())
                used_s = meter() - start_s
                timer.cpu_s += used_s
                timer.calls += 1
                if used_s > timer.max_cpu_s:
                    timer.max_cpu_s = used_s
                if self.cpu_factor:
                    charge_s = used_s * self.cpu_factor
                    self.charged_s += charge_s
                    self.clock.sleep(charge_s)
        finally:
            timer._running = False
        timer.waketime = waketime
        return waketime
