"""Python's cycle collector, run in the loop's gaps instead of wherever it strikes.

CPython collects its youngest generation after ~700 new container objects, and an older
one every tenth time: on a Pi Zero 2 W a collection of the older generations takes
several sample periods, and automatic collection may start in the middle of a sample.
As Klipper does (`klippy/reactor.py`, `extras/garbage_collection.py`): automatic
collection is off while the reactor runs, what exists when it starts is collected once
and frozen (never scanned again), and a background timer collects the generation that
is due -- only in a gap it fits, like the screen.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

from device.reactor import NOW, Reactor

CHECK_S = 0.1               # how often the timer looks whether a collection is due


def _due_generation() -> int:
    """The generation CPython would collect now (-1: none), as its own thresholds say."""
    young, middle, old = gc.get_count()
    threshold0, threshold1, threshold2 = gc.get_threshold()
    if young < threshold0:
        return -1
    if middle < threshold1:
        return 0
    return 1 if old < threshold2 else 2


def _collect(eventtime: float) -> float:
    generation = _due_generation()
    if generation >= 0:
        gc.collect(generation)
    return eventtime + CHECK_S


@contextmanager
def collecting_in_gaps(reactor: Reactor) -> Iterator[None]:
    """While the block runs `reactor`, collect garbage in its gaps only."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    timer = reactor.register_timer(_collect, NOW, "garbage", background=True)
    try:
        yield
    finally:
        reactor.unregister_timer(timer)
        gc.unfreeze()
        if was_enabled:
            gc.enable()
