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

SECTION_MAX_S = 100e-6      # a section is booked at most this long (see `CpuLedger`)


class CpuLedger:
    """The CPU time the simulator spends on itself -- emulated chips, the body, the bus --
    so that the device's CPU meter can leave it out: the device would not spend it on
    a Pi. A section is a `with ledger:` block; sections may nest, only the outermost one
    is timed, and what timing a section costs the thread is measured once and left out
    too. Off (nearly free) until `enable()`d.

    The device's meter is this thread's CPU clock, a system call (0.2-0.7 us); a section,
    a few us of the emulators' work four or five times a sample, is timed by the
    monotonic clock instead (about 50 ns), which counts CPU time unless the thread was
    switched out inside it. That is rare (on an idle machine 77 of 186,000 sections
    differed by more than 20 us) and can only lower the device's charge, so a section is
    booked at most `SECTION_MAX_S` (its p999 is about 40 us here): beyond that the
    device is charged, the safe side."""

    __slots__ = ("enabled", "spent_s", "sections", "section_cost_s", "_depth", "_since_s")

    def __init__(self) -> None:
        self.enabled = False
        self.spent_s = 0.0
        self.sections = 0
        self.section_cost_s = 0.0
        self._depth = 0
        self._since_s = 0.0

    def enable(self) -> None:
        """Start booking, after measuring what booking an empty section costs."""
        self.enabled = True
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
        self.spent_s = self.sections = 0

    def __enter__(self) -> None:
        if self._depth == 0 and self.enabled:
            self._since_s = perf_counter()
        self._depth += 1

    def __exit__(self, exc_type, exc, traceback) -> None:
        depth = self._depth = self._depth - 1
        if depth == 0 and self.enabled:
            spent_s = perf_counter() - self._since_s
            self.spent_s += spent_s if spent_s < SECTION_MAX_S else SECTION_MAX_S
            self.sections += 1

    def device_cpu_s(self) -> float:
        """This thread's CPU time so far without the simulator's share: a CPU meter."""
        inside_s = perf_counter() - self._since_s if self._depth else 0.0
        return thread_time() - self.spent_s - inside_s - self.sections * self.section_cost_s


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
