"""The device's one loop: timers on one monotonic clock, as in Klipper's `klippy/reactor.py`.

A timer's callback receives the event time (the clock's seconds when it runs) and
returns the time it wants to run next (`NEVER`: not until `update_timer` wakes it).
Everything the device does -- sampling, the screen, the buzzer, the buttons, the
watchdog -- is such a timer; nothing waits but `run()` itself, until the earliest timer
is due. Timers run in the order they were registered, so the sampler, registered
first, goes first when several are due. A pass over the due timers looks only at the
timers that have a wake time (most of the screen's and the buzzer's are idle most of
the time), with the same outcome as a look at every one.

Background timers (`background=True`: the screen, storage, buttons) only run in the
gaps: one that is due runs when its cost -- the largest it took lately, forgotten
over a minute (so the rare heavy run of a timer that mostly finds nothing to do, a
young garbage collection every few seconds, is still known at the next; a first
estimate is kept until the timer has run), and 3 % each time it has to wait -- ends
before the next foreground timer (the sampler, the buzzer) is due; otherwise it waits until that timer has run. So slow
work never delays a sample, and one unusually slow step cannot hold its timer up
for good.

CPU accounting: with a `cpu_meter` (a function returning the seconds of CPU the device
has used so far), each callback's CPU time, with the loop's own work since the
callback before it, is measured into its `Timer` (`cpu_s`, `calls`, `max_cpu_s`): the
meter is read once, as the callback returns. What that reading and its booking cost --
work the device does not do on a Pi, where nothing is measured -- is measured once and
left out of every callback's time. With `cpu_factor` > 0
-- on the simulator, whose clock only moves when told -- that CPU time times the factor
is charged to the clock after the callback: the time it would have taken on a Pi that
much slower than this machine. Late samples and jitter in a simulated run are then what
that Pi would see.
A meter that wants to know which timer is running (a scripted one, in tests) gets
the reactor through its `watch(reactor)` method and reads `reactor.current`.
"""

from __future__ import annotations

import math
from bisect import insort
from operator import attrgetter
from typing import Callable

from drivers.clock import Clock

NOW = 0.0
NEVER = math.inf
GUARD_S = 100e-6            # background work ends this long before the next foreground timer
FIRST_COST_S = 1e-3         # a background timer's first run waits for a gap this long
FORGET_TAU_S = 60.0         # a background timer's cost estimate fades with this time constant ...
FORGET_WAITED = 0.97        # ... and by this after each time it had to wait for a gap
NEVER_RAN = -1.0            # a timer's `ran_s` until its first run (its first estimate does not fade)

TimerCallback = Callable[[float], float]
_ORDER = attrgetter("order")


class ReactorError(RuntimeError):
    """The loop cannot go on: no timer will ever be due again."""


class Timer:
    """A registered callback, its next wake time and what it has cost so far."""

    __slots__ = ("callback", "waketime", "name", "background", "order", "cost_s", "ran_s", "cpu_s",
                 "calls", "max_cpu_s")

    def __init__(self, callback: TimerCallback, waketime: float, name: str, background: bool,
                 order: int = 0) -> None:
        self.callback = callback
        self.waketime = waketime
        self.name = name
        self.background = background
        self.order = order                 # when it was registered: due timers run in this order
        self.cost_s = FIRST_COST_S         # background: clock time a run is expected to take
        self.ran_s = NEVER_RAN             # background: when it last ran
        self.cpu_s = 0.0
        self.calls = 0
        self.max_cpu_s = 0.0


class Reactor:
    def __init__(self, clock: Clock, *, cpu_meter: Callable[[], float] | None = None,
                 cpu_factor: float = 0.0) -> None:
        if cpu_factor and cpu_meter is None:
            raise ValueError("charging CPU time (cpu_factor) needs a cpu_meter")
        self.clock = clock
        self.cpu_meter = cpu_meter
        self.cpu_factor = cpu_factor
        self.charged_s = 0.0            # clock time charged for CPU so far
        self._cpu_mark_s = 0.0          # the CPU meter when the last callback ended
        self._busy_until_s = 0.0        # charged: the next callback starts no earlier than this
        self.current: Timer | None = None   # the timer whose callback is running
        if hasattr(cpu_meter, "watch"):
            cpu_meter.watch(self)
        self._measuring_s = self._measuring_cost() if cpu_meter is not None else 0.0
        self._timers: list[Timer] = []
        self._foreground: list[Timer] = []      # the timers background work must not delay
        self._registered = 0                    # timers registered so far
        self._armed: list[Timer] = []           # the timers with a wake time (and some gone NEVER since) ...
        self._untidy = False                    # ... whether it is to be made anew before the next pass ...
        self._armed_order = -1                  # ... and the last timer registered when it was made
        self._next_s = NEVER
        self._running = False

    def now(self) -> float:
        return self.clock.now()

    def _measuring_cost(self) -> float:
        """What measuring one callback costs, as the meter sees it: from one reading to the
        next with only the booking between them (the median of 201 tries, each booked on a
        scratch timer; what the tries charged is undone)."""
        meter, scratch = self.cpu_meter, Timer(lambda t: NEVER, NEVER, "measuring", False)
        self._measuring_s = 0.0
        gaps = []
        for _ in range(201):
            start_s = meter()
            self._book(scratch, start_s)
            gaps.append(meter() - start_s)
        self.charged_s = self._busy_until_s = self._cpu_mark_s = 0.0
        return sorted(gaps)[100]

    # --- timers ------------------------------------------------------------------------------
    def register_timer(self, callback: TimerCallback, waketime: float = NEVER,
                       name: str = "", background: bool = False) -> Timer:
        """A `background` timer works in the gaps the others leave (see `free_until`)."""
        timer = Timer(callback, waketime, name or getattr(callback, "__name__", "timer"), background,
                      self._registered)
        self._registered += 1
        self._timers = self._timers + [timer]        # a copy: a pass under way does not see it
        if not background:
            self._foreground = self._foreground + [timer]
        self._next_s = min(self._next_s, waketime)
        self._untidy = True
        return timer

    def unregister_timer(self, timer: Timer) -> None:
        timer.waketime = NEVER
        self._timers = [t for t in self._timers if t is not timer]
        self._foreground = [t for t in self._foreground if t is not timer]
        self._untidy = True

    def update_timer(self, timer: Timer, waketime: float) -> None:
        """Wake `timer` at `waketime` instead (NOW: as soon as the loop gets to it). A
        running timer's own return value decides for itself."""
        current = self.current
        if timer is current:
            return
        was_s = timer.waketime
        timer.waketime = waketime
        if waketime < self._next_s:
            self._next_s = waketime
        if was_s == NEVER:
            if waketime != NEVER and timer not in self._armed:
                if current is not None and current.order < timer.order <= self._armed_order:
                    insort(self._armed, timer, key=_ORDER)     # the pass under way gets to it
                else:
                    self._untidy = True
        elif waketime == NEVER:
            self._untidy = True

    def free_until(self) -> float:
        """When the earliest timer that is not a background one is due: background work
        started now must end by then not to delay it."""
        earliest = NEVER
        for timer in self._foreground:
            if timer.waketime < earliest:
                earliest = timer.waketime
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
        if self.cpu_meter is not None:
            self._cpu_mark_s = self.cpu_meter()
        while self._running:
            now = clock.now()
            wake_s = self._next_s if self._next_s > self._busy_until_s else self._busy_until_s
            if wake_s > now:
                if wake_s == NEVER:
                    raise ReactorError("no timer is due, ever: the loop would wait forever")
                clock.sleep(wake_s - now)
                now = clock.now()
            self._check_timers(now)

    def end(self) -> None:
        """Leave `run()` once the callback that called this returns."""
        self._running = False

    def _tidy(self) -> None:
        """The armed timers anew, in the same list: every one with a wake time."""
        armed = self._armed
        armed.clear()
        for timer in self._timers:
            if timer.waketime != NEVER:
                armed.append(timer)
        self._armed_order = self._registered - 1
        self._untidy = False

    def _check_timers(self, eventtime: float) -> None:
        """One pass: the due timers run in registration order (a background one only if it
        fits before the next foreground timer); the timers without a wake time are not looked
        at. A timer armed by a callback during the pass is, if it was registered later."""
        if self._untidy:
            self._tidy()
        self._next_s = NEVER
        next_s = NEVER
        free_s = None                   # the gap a background timer would run in: worked out when
        start_s = 0.0                   # one asks, from `start_s` (after what was charged) to `free_s`
        for timer in self._armed:
            waketime = timer.waketime
            if eventtime >= waketime:
                if timer.background:
                    if free_s is None:
                        free_s = self.free_until()
                        start_s = self.clock.now()
                        if start_s < self._busy_until_s:
                            start_s = self._busy_until_s
                    if start_s + timer.cost_s + GUARD_S > free_s:      # not in this gap
                        timer.cost_s *= FORGET_WAITED
                        if free_s < next_s:
                            next_s = free_s
                        continue
                waketime = self._fire(timer)
                free_s = None
                if waketime == NEVER:
                    self._untidy = True
                if not self._running:
                    self._next_s = NOW
                    return
            if waketime < next_s:
                next_s = waketime
        if next_s < self._next_s:
            self._next_s = next_s

    def _fire(self, timer: Timer) -> float:
        timer.waketime = NEVER
        self.current = timer
        clock = self.clock
        try:
            start_s = clock.now()
            if self.cpu_meter is None:
                waketime = timer.callback(start_s)
                if timer.background:
                    elapsed_s = clock.now() - start_s
            else:
                if start_s < self._busy_until_s:        # still computing what was charged
                    clock.sleep(self._busy_until_s - start_s)
                    start_s = clock.now()
                waketime = timer.callback(start_s)
                elapsed_s = self._book(timer, self.cpu_meter()) - start_s
        finally:
            self.current = None
        if timer.background:
            kept_s = timer.cost_s
            if timer.ran_s != NEVER_RAN:
                kept_s *= math.exp((timer.ran_s - start_s) / FORGET_TAU_S)
            timer.cost_s = elapsed_s if elapsed_s > kept_s else kept_s
            timer.ran_s = start_s
        timer.waketime = waketime
        return waketime

    def _book(self, timer: Timer, meter_s: float) -> float:
        """Book to `timer` the CPU used since the last reading (the callback and the loop's
        work before it, less what measuring costs), read as `meter_s`, and charge it to the
        clock times the factor; returns when that work ends on the slower Pi."""
        used_s = meter_s - self._cpu_mark_s - self._measuring_s
        if used_s < 0.0:
            used_s = 0.0
        self._cpu_mark_s = meter_s
        timer.cpu_s += used_s
        timer.calls += 1
        if used_s > timer.max_cpu_s:
            timer.max_cpu_s = used_s
        charge_s = used_s * self.cpu_factor              # the clock moves on when the next one waits
        self.charged_s += charge_s
        busy_until_s = self._busy_until_s = self.clock.now() + charge_s
        return busy_until_s
