"""Python's cycle collector, run in the loop's gaps instead of wherever it strikes.

CPython collects its youngest generation after ~700 new container objects, and an older
one every tenth time. On a Pi Zero 2 W a young collection takes a fraction of a sample
period, but one of the older generations takes several (about 1 ms here, 16 ms there;
a full one about 10 ms here), and automatic collection may start in the middle of a
sample. As Klipper does (`klippy/reactor.py`, `extras/garbage_collection.py`), automatic
collection is off while the reactor runs and what exists when it starts is frozen, its
young generations collected first (never scanned again while it runs: the modules, fonts
and settings that make up most of the heap). Then:

- **young**, a background timer: once `YOUNG_OBJECTS` new objects are tracked, they are
  collected (a small collection, often, fits a gap); what survives moves to the older
  generations, which automatic collection no longer scans while the sampler runs. The
  loop makes next to no reference cycles (none found in a whole session), so little
  garbage waits there.
- **full**, a background timer: at most every `FULL_EVERY_S`, when a young collection
  ran since the last full one and the next foreground timer is `FULL_GAP_S` or more
  away -- the menu samples at 20 Hz, a session at 250 Hz never leaves such a gap --
  everything the run made and kept is collected, so no cycle outlives a session by more
  than a minute. What was frozen when the run began is not scanned: in `run --sim`
  (3 sessions, this machine) a full collection took 5-8 ms, against 46-48 ms when it
  unfroze and scanned that heap too (x16 on a Pi Zero: far longer than the menu's gap).
  A cycle that was made before the run and became garbage during it waits for the
  run's end.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

from device.reactor import NOW, Reactor

CHECK_S = 0.1               # how often the young generation is looked at ...
YOUNG_OBJECTS = 200         # ... and collected once it holds this many (CPython's own 700 takes
                            # up to 2x longer than a sample's gap on a Pi Zero)
FULL_CHECK_S = 1.0          # how often a full collection is considered ...
FULL_EVERY_S = 60.0         # ... at most this often ...
FULL_GAP_S = 0.04           # ... and only this far from the next foreground timer (not in a session)
FULL_RETRY_S = 1.0137       # no gap: look again then (not a multiple of a sampling period: another phase)


class GapCollector:
    """The two collecting timers of one reactor run."""

    def __init__(self, reactor: Reactor) -> None:
        self.reactor = reactor
        self.young_since_full = False
        self.full_collections = 0
        self._full_due_s = reactor.now() + FULL_EVERY_S
        self._young = reactor.register_timer(self._collect_young, NOW, "garbage", background=True)
        self._full = reactor.register_timer(self._collect_all, NOW, "garbage-full", background=True)

    def close(self) -> None:
        self.reactor.unregister_timer(self._young)
        self.reactor.unregister_timer(self._full)

    def _collect_young(self, eventtime: float) -> float:
        if gc.get_count()[0] >= YOUNG_OBJECTS:
            gc.collect(0)
            self.young_since_full = True
        return eventtime + CHECK_S

    def _collect_all(self, eventtime: float) -> float:
        if not self.young_since_full or eventtime < self._full_due_s:
            return eventtime + FULL_CHECK_S
        if self.reactor.free_until() - eventtime < FULL_GAP_S:
            return eventtime + FULL_RETRY_S
        gc.collect()                             # every generation but the frozen one
        self.young_since_full = False
        self.full_collections += 1
        self._full_due_s = eventtime + FULL_EVERY_S
        return eventtime + FULL_CHECK_S


@contextmanager
def collecting_in_gaps(reactor: Reactor) -> Iterator[GapCollector]:
    """While the block runs `reactor`, collect garbage in its gaps only."""
    was_enabled = gc.isenabled()
    gc.collect(1)       # the young: the old generation's garbage (a program just started has next to
    gc.freeze()         # none) is frozen with it until the run ends, so no start scans the whole heap
    gc.disable()
    collector = GapCollector(reactor)
    try:
        yield collector
    finally:
        collector.close()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
