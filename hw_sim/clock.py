"""A discrete-event virtual clock.

Time only moves when someone sleeps (or a bus transaction costs time). Events
scheduled with `call_at` run in time order while the clock passes them, so the
emulated chips finish conversions and pulse pins exactly when they would on the
bench -- deterministically, and as fast as the host can compute.
"""

from __future__ import annotations

import itertools
from heapq import heappop, heappush
from time import perf_counter, thread_time
from typing import Callable


class CpuLedger:
    """The CPU time the simulator spends on itself -- emulated chips, the body, the bus --
    so that the device's CPU meter can leave it out: the device would not spend it on
    a Pi. A section is a `with ledger:` block; sections may nest, only the outermost one
    is timed, and what timing a section costs the thread is measured once and left out
    too. Off (nearly free) until `enable()`d.

    The device's meter (`device_cpu_s`) reads this thread's CPU clock, a system call
    (0.2-0.7 us). A section, a few us of the emulators' work four or five times a
    sample, is timed by the monotonic clock instead (about 50 ns), which also counts time
    the thread spent switched out or waiting for the GIL (the writer thread) inside it.
    So each reading of the meter closes a window since the one before: of the sections'
    time in it, only what exceeds the window's whole time off the CPU (its wall time less
    its CPU time) is taken for the simulator's. That never charges the device less than it
    used; time off the CPU outside the sections charges it a little more, the safe side."""

    __slots__ = ("enabled", "spent_s", "sections", "section_cost_s", "_depth", "_since_s", "_device_s",
                 "_cpu_mark_s", "_wall_mark_s", "_spent_mark_s", "_sections_mark")

    def __init__(self) -> None:
        self.enabled = False
        self.spent_s = 0.0              # the sections' time so far (monotonic clock)
        self.sections = 0
        self.section_cost_s = 0.0
        self._depth = 0
        self._since_s = 0.0
        self._device_s = 0.0            # the device's CPU time up to the last reading
        self._cpu_mark_s = self._wall_mark_s = self._spent_mark_s = 0.0
        self._sections_mark = 0

    def enable(self) -> None:
        """Start booking, after measuring what booking an empty section costs (once)."""
        if self.enabled:
            return
        self.enabled = True
        self._mark()
        meter = self.device_cpu_s
        bare, booked = [], []
        for _ in range(401):
            start_s = meter()
            bare.append(meter() - start_s)
            start_s = meter()
            with self:
                pass
            booked.append(meter() - start_s)
        self.section_cost_s = max(0.0, sorted(booked)[200] - sorted(bare)[200])

    def _mark(self) -> None:
        self._cpu_mark_s, self._wall_mark_s = thread_time(), perf_counter()
        self._spent_mark_s, self._sections_mark = self.spent_s, self.sections

    def __enter__(self) -> None:
        if self._depth == 0 and self.enabled:
            self._since_s = perf_counter()
        self._depth += 1

    def __exit__(self, exc_type, exc, traceback) -> None:
        depth = self._depth = self._depth - 1
        if depth == 0 and self.enabled:
            self.spent_s += perf_counter() - self._since_s
            self.sections += 1

    def device_cpu_s(self) -> float:
        """This thread's CPU time so far without the simulator's share: a CPU meter."""
        cpu_s = thread_time()
        wall_s = perf_counter()
        spent_s = self.spent_s
        if self._depth:
            spent_s += wall_s - self._since_s
        window_cpu_s = cpu_s - self._cpu_mark_s
        simulator_s = spent_s - self._spent_mark_s
        off_cpu_s = wall_s - self._wall_mark_s - window_cpu_s
        if off_cpu_s > 0.0:
            simulator_s -= off_cpu_s
            if simulator_s < 0.0:
                simulator_s = 0.0
        sections = self.sections
        device_s = self._device_s = (self._device_s + window_cpu_s - simulator_s
                                     - (sections - self._sections_mark) * self.section_cost_s)
        self._cpu_mark_s = cpu_s
        self._wall_mark_s = wall_s
        self._spent_mark_s = spent_s
        self._sections_mark = sections
        return device_s


class VirtualClock:
    """Monotonic virtual seconds with timed callbacks (Klipper-reactor style). Work done
    by the callbacks is the simulator's own, booked in `ledger`."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_s = start_s
        self._events: list[tuple[float, int, Callable[[float], None]]] = []
        self._order = itertools.count()
        self.ledger = CpuLedger()

    def now(self) -> float:
        return self._now_s

    def call_at(self, when_s: float, callback: Callable[[float], None]) -> None:
        """Run `callback(when_s)` once virtual time reaches `when_s`."""
        heappush(self._events, (when_s, next(self._order), callback))

    def sleep(self, duration_s: float) -> None:
        if duration_s > 0:
            target_s = self._now_s + duration_s
            events = self._events
            if events and events[0][0] <= target_s:
                self._run_events(target_s)
            if target_s > self._now_s:
                self._now_s = target_s

    def advance_to(self, target_s: float) -> None:
        """Move time to `target_s`, running every event due on the way."""
        events = self._events
        if events and events[0][0] <= target_s:
            self._run_events(target_s)
        if target_s > self._now_s:
            self._now_s = target_s

    def _run_events(self, target_s: float) -> None:
        events = self._events
        with self.ledger:
            while events and events[0][0] <= target_s:
                when_s, _, callback = heappop(events)
                if when_s > self._now_s:
                    self._now_s = when_s
                callback(when_s)
