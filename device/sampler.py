"""The sampling schedule: a fixed-rate, clock-driven read of the cushion.

Each tick (default 250 Hz) reads the perineal channel; every `seat_every`-th tick it
also reads one sitting-bone channel (left and right alternate, so at the defaults each
side is read at 62.5 Hz and held between reads), and the supply monitor every
`supply_every_s`. A caller with urgent bus traffic (a warning frame for the OLED) sets
`defer_seat` to push the next seat read back a tick. Ticks are due at
t0 + k * period on the injected clock (no drift from accumulated sleeps); a tick that
is more than a period late is skipped and counted in `dropped`, as the recording
format allows.
"""

from __future__ import annotations

from drivers.clock import Clock
from drivers.cushion import Cushion


class Sampler:
    def __init__(self, cushion: Cushion, clock: Clock, *, rate_hz: int = 250,
                 supply_every_s: float = 1.0, seat_every: int = 2) -> None:
        self.cushion = cushion
        self.clock = clock
        self.period_s = 1.0 / rate_hz
        self.supply_every_s = supply_every_s
        self.t_s = 0.0
        self.perineal_kpa = 0.0
        self.left_kg = 0.0
        self.right_kg = 0.0
        self.ticks = 0
        self.dropped = 0
        self.seat_every = seat_every
        self.defer_seat = False
        self._seat_countdown = 0
        self._t0_s = 0.0
        self._next_s = 0.0
        self._next_supply_s = 0.0
        self._left_next = True

    @property
    def next_due_s(self) -> float:
        """Clock time at which the next tick is due (work between ticks must end before it)."""
        return self._next_s

    @property
    def t0_s(self) -> float:
        """Clock time of session second 0."""
        return self._t0_s

    def start(self) -> None:
        """Measure the supply and both seat channels, and set the time origin."""
        cushion = self.cushion
        cushion.update_supply()
        self.left_kg = cushion.read_left_kg()
        self.right_kg = cushion.read_right_kg()
        self._t0_s = self.clock.now()
        self._next_s = self._t0_s
        self._next_supply_s = self._t0_s + self.supply_every_s

    def resync(self) -> None:
        """Due again from now, without counting the gap as dropped ticks (after the loop
        deliberately stopped sampling, e.g. while a failed sensor was probed)."""
        now_s = self.clock.now()
        if now_s > self._next_s:
            self._next_s += int((now_s - self._next_s) / self.period_s + 1) * self.period_s
        self._next_supply_s = max(self._next_supply_s, now_s)

    def step(self) -> float:
        """Wait for the next tick, read it, and return its time in seconds since `start()`."""
        clock = self.clock
        period_s = self.period_s
        late_s = clock.now() - self._next_s
        if late_s < 0.0:
            clock.sleep(-late_s)
        elif late_s >= period_s:
            missed = int(late_s / period_s)
            self.dropped += missed
            self._next_s += missed * period_s
        cushion = self.cushion
        self.perineal_kpa = cushion.read_perineal_kpa()
        self.t_s = clock.now() - self._t0_s
        self._seat_countdown -= 1
        if self._seat_countdown <= 0 and not self.defer_seat:
            self._seat_countdown = self.seat_every
            if self._left_next:
                self.left_kg = cushion.read_left_kg()
            else:
                self.right_kg = cushion.read_right_kg()
            self._left_next = not self._left_next
        if clock.now() >= self._next_supply_s:
            cushion.update_supply()
            self._next_supply_s += self.supply_every_s
        self._next_s += period_s
        self.ticks += 1
        return self.t_s
