"""A discrete-event virtual clock.

Time only moves when someone sleeps (or a bus transaction costs time). Events
scheduled with `call_at` run in time order while the clock passes them, so the
emulated chips finish conversions and pulse pins exactly when they would on the
bench -- deterministically, and as fast as the host can compute.
"""

from __future__ import annotations

import heapq
import itertools
from typing import Callable


class VirtualClock:
    """Monotonic virtual seconds with timed callbacks (Klipper-reactor style)."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_s = start_s
        self._events: list[tuple[float, int, Callable[[float], None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now_s

    def call_at(self, when_s: float, callback: Callable[[float], None]) -> None:
        """Run `callback(when_s)` once virtual time reaches `when_s`."""
        heapq.heappush(self._events, (when_s, next(self._order), callback))

    def sleep(self, duration_s: float) -> None:
        if duration_s > 0:
            self.advance_to(self._now_s + duration_s)

    def advance_to(self, target_s: float) -> None:
        """Move time to `target_s`, running every event due on the way."""
        events = self._events
        while events and events[0][0] <= target_s:
            when_s, _, callback = heapq.heappop(events)
            if when_s > self._now_s:
                self._now_s = when_s
            callback(when_s)
        if target_s > self._now_s:
            self._now_s = target_s
