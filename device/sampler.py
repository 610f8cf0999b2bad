"""The sampling timer: the cushion read at a fixed rate, never waiting for the ADC.

Each tick (default 250 Hz) converts the perineal channel, and after it every
`seat_every`-th tick one sitting-bone channel (left and right alternate, so at the
defaults each side is read at 31 Hz and held between reads: the loads move over tenths of a
second, and each conversion costs the loop a wake-up and three bus transactions) or, on a tick without a
seat read, the supply monitor once every `supply_every_s`; seat reads wait while
`hold_seat()` says the bus is wanted for something urgent (a warning on its way to
the screen). A conversion is started by this timer and collected on its next run, so
the reactor runs other work during every conversion (about 1.2 ms at 860 SPS) and the
I2C bus is free for the screen. Each run at a tick's start collects what the last
tick left (its second conversion, or its perineal one if it had none: that sample is
handed on then) and starts the tick's perineal conversion. A tick with a second
conversion runs again once the perineal conversion is done: it collects it, starts the
second one and hands the sample on while that converts. A tick without one runs only
once: its sample goes on at the next tick's start, about a period later, and the loop
wakes up once less (on a Pi each wake-up is a system call and a context switch as well
as the loop's own work).

A sample's time is when its perineal conversion started: due at t0 + k * period on the
clock (no drift from accumulated waits); a tick that starts more than a period late is
skipped and counted in `dropped`, as the recording format allows. Once collected -- with
the next conversion already under way -- the sample is checked by the sensor guard (if
any) and handed to `on_sample(t_s, perineal_kpa, left_kg, right_kg)`. A hardware error
or an implausible sensor stops the sampler and goes to `on_fault(error)` (a sample
collected before it is handed on first).

`start(probe=True)` (the fault state) converts every channel each tick, supply first,
and hands the values on unchecked.
"""

from __future__ import annotations

import math
from typing import Callable

from device.reactor import NEVER, NOW, Reactor
from device.sensor_guard import SensorGuard
from drivers.cushion import Cushion
from drivers.errors import HardwareError

PERINEAL, LEFT, RIGHT, SUPPLY = range(4)
NONE = -1
_PROBE = (SUPPLY, PERINEAL, LEFT, RIGHT)
_PRIME = (SUPPLY, LEFT, RIGHT)                   # before the first sample: the seat and the supply

SampleSink = Callable[[float, float, float, float], None]


class Sampler:
    def __init__(self, reactor: Reactor, guard: SensorGuard | None, *, rate_hz: float = 250.0,
                 supply_every_s: float = 1.0, seat_every: int = 4) -> None:
        self.reactor = reactor
        self.clock = reactor.clock
        self.guard = guard
        self.rate_hz = rate_hz
        self.period_s = 1.0 / rate_hz
        self.supply_every_s = supply_every_s
        self.seat_every = seat_every
        self.on_sample: SampleSink = lambda t_s, kpa, left_kg, right_kg: None
        self.on_fault: Callable[[HardwareError], None] = lambda error: None
        self.hold_seat: Callable[[], bool] = lambda: False    # urgent bus traffic: seat reads wait
        self.probe = False
        self.t_s = 0.0
        self.perineal_kpa = 0.0
        self.left_kg = 0.0
        self.right_kg = 0.0
        self.ticks = 0
        self.dropped = 0
        self.t0_s = 0.0                 # clock time of second 0 of the samples' times
        self._origin_s: float | None = None
        self._chain: tuple[int, ...] = ()   # probing or priming: conversions in a row
        self._i = 0
        self._collecting = NONE         # the conversion started and not collected yet
        self._stopped = NONE            # ... and the one `stop()` left so
        self._converting_t_s = 0.0      # the time of the sample whose perineal conversion that is
        self._then = NONE               # what the tick converts after the perineal channel
        self._next_s = NEVER            # when the next tick is due
        self._lead_s = 0.0              # a tick that collects first starts as early as that took last
        self._next_supply_s = 0.0
        self._seat_countdown = 0
        self._left_next = True
        self._generation = 0            # start/stop from a callback: the callback's own wake loses
        self._wake = NEVER
        self._timer = reactor.register_timer(self._run, NEVER, "sampler")

    # --- control -------------------------------------------------------------------------------
    def use(self, cushion: Cushion) -> None:
        """Sample `cushion` (and the ADC behind it) from the next `start()` on."""
        self.cushion = cushion
        self.adc = cushion.adc
        self._ain = (cushion.perineal_ain, cushion.left_ain, cushion.right_ain, cushion.supply_ain)
        self._collecting = self._stopped = NONE
        self._poll_s = min(self.adc.conversion_s / 8, 200e-6)

    def start(self, rate_hz: float | None = None, *, probe: bool = False, origin_s: float | None = None) -> None:
        """Sample from now at `rate_hz` (default: the last rate). Samples' times count
        from `origin_s`, on its grid (origin + k periods: a restart keeps the session's sample
        slots; a probe starts at once), or by default from when the first sample is taken
        (and `ticks` and `dropped` count from 0 again); the seat and the supply are read first."""
        if origin_s is None:
            self.ticks = self.dropped = 0
        if rate_hz is not None:
            self.rate_hz = rate_hz
            self.period_s = 1.0 / rate_hz
        self.probe = probe
        self._origin_s = origin_s
        if self.guard is not None:
            self.guard.reset()
        pending = self._collecting if self._collecting != NONE else self._stopped
        self._chain, self._i, self._collecting, self._stopped = _PRIME, 0, NONE, NONE
        self._seat_countdown = self.seat_every
        if pending != NONE and self.clock.now() < self.adc.started_s + self.adc.timeout_s:
            # a conversion may be under way, and the chip ignores a start until it is done: the
            # priming collects it first (a reading of its input like any other)
            self._i, self._collecting = -1, pending
            self._set_wake(self.adc.started_s + self.adc.conversion_s)
            return
        self._set_wake(NOW)

    def stop(self) -> None:
        """No more samples: a conversion under way is not collected (unless `start()` comes
        while it may still be under way), nor a sample converted and not handed on yet."""
        self._stopped = self._collecting
        self._chain, self._collecting = (), NONE
        self._next_s = NEVER
        self._set_wake(NEVER)

    def _set_wake(self, waketime: float) -> None:
        self._generation += 1
        self._wake = waketime
        self.reactor.update_timer(self._timer, waketime)

    # --- the timer -----------------------------------------------------------------------------
    def _run(self, eventtime: float) -> float:
        """A step: a sample, or a conversion of the chain. A hardware error stops the sampler
        and goes to `on_fault`; where `on_sample` or `on_fault` started or stopped it, its
        wake is theirs."""
        try:
            if self._chain:                         # priming or probing: one conversion after another
                generation = self._generation
                waketime = self._chained()
                return self._wake if generation != self._generation else waketime
            what = self._collecting
            if what != PERINEAL:                    # a tick: collect the last one, then convert
                if what != NONE:
                    if not self._collect(what):
                        return self.clock.now() + self._poll_s
                    self._lead_s = self.clock.now() - eventtime
                return self._tick()
            if not self._collect(PERINEAL):
                return self.clock.now() + self._poll_s
            t_s = self._converting_t_s
            then = self._then
            if then == NONE:                        # the last tick's: this tick's conversion first
                self._lead_s = self.clock.now() - eventtime
                try:
                    waketime = self._tick()
                except HardwareError:               # the sample collected goes on before the fault
                    self._hand_on(t_s, NEVER)
                    raise
            else:                                   # this tick's: the other one under way while it is used
                self._collecting = then
                self.adc.start(self._ain[then])
                waketime = self._next_s - self._lead_s
            return self._hand_on(t_s, waketime)
        except HardwareError as e:
            self._chain, self._collecting, self._stopped = (), NONE, NONE
            self._next_s = NEVER
            self._wake = NEVER
            self.on_fault(e)
            return self._wake

    def _hand_on(self, t_s: float, waketime: float) -> float:
        """The sample taken at `t_s` checked and handed to `on_sample`; returns `waketime`
        unless `on_sample` started or stopped the sampler."""
        self.t_s = t_s
        self.ticks += 1
        if self.guard is not None:
            self.guard.check(t_s, self.perineal_kpa, self.left_kg, self.right_kg)
        generation = self._generation
        self.on_sample(t_s, self.perineal_kpa, self.left_kg, self.right_kg)
        return self._wake if generation != self._generation else waketime

    def _tick(self) -> float:
        """Start this tick's perineal conversion on the grid, and choose what the tick converts
        after it; returns when to come back."""
        adc = self.adc
        late_s = self.clock.now() - self._next_s
        if late_s >= self.period_s:
            missed = int(late_s / self.period_s)
            self.dropped += missed
            self._next_s += missed * self.period_s
        self._next_s += self.period_s
        adc.start(self._ain[PERINEAL])
        self._collecting = PERINEAL
        self._converting_t_s = adc.started_s - self.t0_s
        self._seat_countdown -= 1
        if self._seat_countdown <= 0 and not self.hold_seat():
            self._seat_countdown = self.seat_every
            then = LEFT if self._left_next else RIGHT
            self._left_next = not self._left_next
        elif adc.started_s >= self._next_supply_s:
            self._next_supply_s += self.supply_every_s
            then = SUPPLY
        else:
            then = NONE
        self._then = then
        if then == NONE:                            # collected at the next tick, just before its own
            return self._next_s - self._lead_s
        return adc.started_s + adc.conversion_s

    def _collect(self, what: int) -> bool:
        """Take the conversion of `what`; False while it is not done yet."""
        volts = self.adc.poll()
        if volts is None:
            return False
        cushion = self.cushion
        if what == PERINEAL:
            self.perineal_kpa = cushion.perineal_kpa(volts)
        elif what == LEFT:
            self.left_kg = cushion.left_kg(volts)
        elif what == RIGHT:
            self.right_kg = cushion.right_kg(volts)
        else:
            cushion.use_supply(volts)
        return True

    def _chained(self) -> float:
        chain, i = self._chain, self._i
        if self._collecting != NONE:
            if not self._collect(self._collecting):
                return self.clock.now() + self._poll_s
            self._collecting = NONE
            i = self._i = i + 1
        if i < len(chain):
            self._collecting = chain[i]
            self.adc.start(self._ain[chain[i]])
            return self.adc.started_s + self.adc.conversion_s
        self._i = 0
        now_s = self.clock.now()
        if chain is _PRIME:                         # primed: sampling (or probing) begins
            self.t0_s = now_s if self._origin_s is None else self._origin_s
            if self._origin_s is None or self.probe:
                self._next_s = now_s
            else:                                   # on the origin's grid: samples keep their slots
                self._next_s = self.t0_s + math.ceil((now_s - self.t0_s) / self.period_s - 1e-9) * self.period_s
            self._next_supply_s = now_s + self.supply_every_s
            self._chain = _PROBE if self.probe else ()
            return self._next_s
        self.t_s = now_s - self.t0_s                # a probe: every channel read, handed on
        self.on_sample(self.t_s, self.perineal_kpa, self.left_kg, self.right_kg)
        self._next_s += self.period_s
        return self._next_s
