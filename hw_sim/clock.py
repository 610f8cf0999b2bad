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
    a Pi. A section is the code between `open()` and `close()` (in try/finally), or a
    `with ledger:` block (the same, about half a microsecond dearer: for code off the hot
    paths); sections may nest, only the outermost one is timed, and what timing a section
    costs the thread is measured once for each of the two forms and left out too. Off
    (nearly free) until `enable()`d.

    The device's meter (`device_cpu_s`) reads this thread's CPU clock, a system call
    (0.2-0.7 us). A section, a few us of the emulators' work four or five times a
    sample, is timed by the monotonic clock instead (about 50 ns), which also counts time
    the thread spent switched out or waiting for the GIL (the writer thread) inside it.
    So each reading of the meter closes a window since the one before: of the sections'
    time in it, only what exceeds the window's whole time off the CPU (its wall time less
    its CPU time) is taken for the simulator's. That never charges the device less than it
    used; time off the CPU outside the sections charges it a little more, the safe side.

    What the simulator stands in for on the device's behalf -- the I2C libraries below the
    busio and smbus2 calls, and the kernel's system calls -- is `charge()`d: the meter
    counts it as the device's CPU."""

    __slots__ = ("enabled", "spent_s", "section_cost_s", "with_cost_s", "stood_in_s", "_depth", "_since_s",
                 "_device_s", "_costs_s", "_cpu_mark_s", "_wall_mark_s", "_spent_mark_s", "_costs_mark_s",
                 "_stood_in_mark_s")

    def __init__(self) -> None:
        self.enabled = False
        self.spent_s = 0.0              # the sections' time so far (monotonic clock)
        self.section_cost_s = 0.0       # what timing an open/close section costs, outside its time ...
        self.with_cost_s = 0.0          # ... and a `with` section
        self.stood_in_s = 0.0           # the device's CPU the simulator stood in for, so far
        self._depth = 0
        self._since_s = 0.0
        self._device_s = 0.0            # the device's CPU time up to the last reading
        self._costs_s = 0.0             # what timing the sections so far cost
        self._cpu_mark_s = self._wall_mark_s = self._spent_mark_s = self._costs_mark_s = 0.0
        self._stood_in_mark_s = 0.0

    def charge(self, cost_s: float) -> None:
        """The device would have spent `cost_s` of CPU on what the simulator did for it."""
        self.stood_in_s += cost_s

    def enable(self) -> None:
        """Start booking, after measuring what booking an empty section of each form costs (once)."""
        if self.enabled:
            return
        self.enabled = True
        self._mark()
        meter = self.device_cpu_s
        bare, opened, within = [], [], []
        for _ in range(401):
            start_s = meter()
            bare.append(meter() - start_s)
            start_s = meter()
            self.open()
            self.close()
            opened.append(meter() - start_s)
            start_s = meter()
            with self:
                pass
            within.append(meter() - start_s)
        bare_s = sorted(bare)[200]
        self.section_cost_s = max(0.0, sorted(opened)[200] - bare_s)
        self.with_cost_s = max(0.0, sorted(within)[200] - bare_s)

    def _mark(self) -> None:
        self._cpu_mark_s, self._wall_mark_s = thread_time(), perf_counter()
        self._spent_mark_s, self._costs_mark_s = self.spent_s, self._costs_s
        self._stood_in_mark_s = self.stood_in_s

    def open(self) -> None:
        """Begin a section (of the simulator's own work); `close()` ends it."""
        if not self._depth and self.enabled:
            self._since_s = perf_counter()
        self._depth += 1

    def close(self) -> None:
        depth = self._depth = self._depth - 1
        if not depth and self.enabled:
            self.spent_s += perf_counter() - self._since_s
            self._costs_s += self.section_cost_s

    __enter__ = open

    def __exit__(self, exc_type, exc, traceback) -> None:
        depth = self._depth = self._depth - 1
        if not depth and self.enabled:
            self.spent_s += perf_counter() - self._since_s
            self._costs_s += self.with_cost_s

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
        costs_s, stood_in_s = self._costs_s, self.stood_in_s
        device_s = self._device_s = (self._device_s + window_cpu_s - simulator_s - (costs_s - self._costs_mark_s)
                                     + (stood_in_s - self._stood_in_mark_s))
        self._stood_in_mark_s = stood_in_s
        self._cpu_mark_s = cpu_s
        self._wall_mark_s = wall_s
        self._spent_mark_s = spent_s
        self._costs_mark_s = costs_s
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
        events, ledger = self._events, self.ledger
        ledger.open()
        try:
            while events and events[0][0] <= target_s:
                when_s, _, callback = heappop(events)
                if when_s > self._now_s:
                    self._now_s = when_s
                callback(when_s)
        finally:
            ledger.close()
