"""Sensor models: physical quantities at the cushion -> volts at the ADS1115 inputs.

- perineal: a ratiometric analog gauge-pressure sensor on the air cushion (0-10 kPa,
  10 %-90 % of supply, like Honeywell's ABP/SSC analog parts), powered from 3.3 V;
- sitting bones: load cells with an instrumentation amplifier (offset + gain, in kg);
- supply: the 3.3 V rail through a 1:2 divider, so the driver can correct the
  pressure reading ratiometrically.
Each output clamps at its rails and carries seeded white noise. Faults (a sensor
unplugged, or stuck at a rail) are switches on `CushionInputs`. The body is asked where
it is at most once per `reuse_s` (the load cells' conversion follows the perineal one
by about a millisecond; the seat does not move in that time), which halves the
simulator's work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from math import cos, log, sin, sqrt, tau

from hw_sim.body import Body


@dataclass(frozen=True)
class PressureSensorModel:
    offset_ratio: float = 0.1          # output / supply at 0 kPa
    span_ratio_per_kpa: float = 0.08   # (0.9 - 0.1) / 10 kPa
    low_ratio: float = 0.025           # output saturates at 2.5 % / 97.5 % of supply
    high_ratio: float = 0.975
    noise_v: float = 0.0004

    def volts(self, kpa: float, supply_v: float, noise: float) -> float:
        ratio = self.offset_ratio + self.span_ratio_per_kpa * kpa
        low, high = self.low_ratio, self.high_ratio
        ratio = low if ratio < low else high if ratio > high else ratio
        return ratio * supply_v + noise * self.noise_v


@dataclass(frozen=True)
class LoadAmpModel:
    zero_v: float = 0.25
    v_per_kg: float = 0.04
    rail_v: float = 3.3
    noise_v: float = 0.001

    def volts(self, kg: float, noise: float) -> float:
        v = self.zero_v + self.v_per_kg * kg + noise * self.noise_v
        return 0.0 if v < 0.0 else self.rail_v if v > self.rail_v else v


def standard_normals(rng: random.Random, pairs: int = 256):
    """Endless N(0, 1) draws: the very numbers `rng.gauss()` returns call after call
    (Box-Muller pairs, cosine then sine), made `pairs` at a time -- several times faster.
    `rng` must serve nothing else."""
    uniform = rng.random
    while True:
        block = []
        for _ in range(pairs):
            angle = uniform() * tau
            radius = sqrt(-2.0 * log(1.0 - uniform()))
            block += (cos(angle) * radius, sin(angle) * radius)
        yield from block


class CushionInputs:
    """The voltages on AIN0-AIN3 for the ADS1115 emulator: `inputs(ain, t_s) -> volts`."""

    def __init__(self, body: Body, *, perineal_ain: int = 0, left_ain: int = 1, right_ain: int = 2,
                 supply_ain: int = 3, supply_v: float = 3.3, divider_ratio: float = 0.5,
                 pressure: PressureSensorModel = PressureSensorModel(),
                 left: LoadAmpModel = LoadAmpModel(), right: LoadAmpModel = LoadAmpModel(),
                 seed: int = 0, reuse_s: float = 0.002) -> None:
        self.body = body
        self.reuse_s = reuse_s
        self._sampled_t_s = -1.0
        self._sample = (0.0, 0.0, 0.0)
        self.supply_v = supply_v
        self.divider_ratio = divider_ratio
        self.pressure = pressure
        self.left = left
        self.right = right
        self._sensors = {perineal_ain: self._perineal_v, left_ain: self._left_v, right_ain: self._right_v,
                         supply_ain: self._supply_v}
        self._forced_v: dict[int, float] = {}
        self._noise = standard_normals(random.Random(seed ^ 0x5EED)).__next__   # white noise, sd 1
        self._wire()

    def unplug(self, ain: int) -> None:
        """The sensor on `ain` is disconnected: the input is pulled to 0 V."""
        self._forced_v[ain] = 0.0
        self._wire()

    def saturate(self, ain: int) -> None:
        """The sensor on `ain` is stuck at its upper rail."""
        self._forced_v[ain] = self.supply_v
        self._wire()

    def reconnect(self, ain: int) -> None:
        self._forced_v.pop(ain, None)
        self._wire()

    def _wire(self) -> None:
        """What drives each input: its sensor, a fault's fixed level, or nothing (0 V)."""
        def fixed(volts):
            return lambda t_s: volts
        self._drivers = [fixed(self._forced_v[ain]) if ain in self._forced_v
                         else self._sensors.get(ain, fixed(0.0)) for ain in range(4)]

    def __call__(self, ain: int, t_s: float) -> float:
        return self._drivers[ain](t_s)

    def _seat(self, t_s: float) -> tuple[float, float, float]:
        """Where the body is; the seat loads of the last sample serve for `reuse_s`."""
        if not 0.0 <= t_s - self._sampled_t_s < self.reuse_s:
            self._sample = self.body.sample(t_s)
            self._sampled_t_s = t_s
        return self._sample

    def _perineal_v(self, t_s: float) -> float:
        self._sample = self.body.sample(t_s)
        self._sampled_t_s = t_s
        return self.pressure.volts(self._sample[0], self.supply_v, self._noise())

    def _left_v(self, t_s: float) -> float:
        return self.left.volts(self._seat(t_s)[1], self._noise())

    def _right_v(self, t_s: float) -> float:
        return self.right.volts(self._seat(t_s)[2], self._noise())

    def _supply_v(self, t_s: float) -> float:
        return self.supply_v * self.divider_ratio
