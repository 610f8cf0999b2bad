"""Is each cushion sensor plausible? A disconnected input reads 0 V, a shorted or
saturated one sits at a rail; both give values no seated person can produce.

Limits come from the calibration: below `LOW_V` at an input is a lost connection, the
perineal channel above its rated range (10 kPa) or a seat channel within `HIGH_MARGIN_V`
of the supply is saturated. One odd sample is noise or a cough; a fault is raised when a
channel stays out of range for `confirm_s` (at whatever rate it is checked). `check`
allocates nothing while all is well.
"""

from __future__ import annotations

from device.config import Config
from drivers.errors import SensorFault

LOW_V = 0.05                 # an unconnected input is pulled to 0 V
HIGH_MARGIN_V = 0.1          # a load amplifier this close to the supply is saturated
PERINEAL_RANGE_KPA = 10.0    # the pressure sensor's rated span
PERINEAL_MARGIN_KPA = 0.5    # over-range allowance (the sensor's own output limit)


class SensorGuard:
    def __init__(self, cfg: Config, *, confirm_s: float = 0.25) -> None:
        cal = cfg.calibration
        per = cal.perineal
        self.min_kpa = (LOW_V - per.offset_v) / per.v_per_kpa
        self.max_kpa = PERINEAL_RANGE_KPA + PERINEAL_MARGIN_KPA
        self.min_kg = max((LOW_V - c.zero_v) / c.v_per_kg for c in (cal.seat_left, cal.seat_right))
        self.max_kg = min((per.supply_v - HIGH_MARGIN_V - c.zero_v) / c.v_per_kg
                          for c in (cal.seat_left, cal.seat_right))
        self.confirm_s = confirm_s
        self._bad_since_s: float | None = None

    def reset(self) -> None:
        """Forget a channel out of range so far (sampling starts again)."""
        self._bad_since_s = None

    def check(self, t_s: float, perineal_kpa: float, left_kg: float, right_kg: float) -> None:
        """Raise SensorFault once a channel has been implausible since at least confirm_s
        before `t_s`."""
        min_kg, max_kg = self.min_kg, self.max_kg      # `plausible`, written out: once a sample
        if (self.min_kpa < perineal_kpa < self.max_kpa and min_kg < left_kg < max_kg
                and min_kg < right_kg < max_kg):
            self._bad_since_s = None
            return
        if self._bad_since_s is None:
            self._bad_since_s = t_s
        elif t_s - self._bad_since_s >= self.confirm_s:
            self._bad_since_s = None
            raise SensorFault(self.describe(perineal_kpa, left_kg, right_kg))

    def perineal_ok(self, kpa: float) -> bool:
        """The perineal reading is one a connected, unsaturated sensor gives."""
        return self.min_kpa < kpa < self.max_kpa

    def seat_ok(self, kg: float) -> bool:
        """A seat reading is one a connected, unsaturated load sensor gives."""
        return self.min_kg < kg < self.max_kg

    def plausible(self, perineal_kpa: float, left_kg: float, right_kg: float) -> bool:
        return self.perineal_ok(perineal_kpa) and self.seat_ok(left_kg) and self.seat_ok(right_kg)

    def describe(self, perineal_kpa: float, left_kg: float, right_kg: float) -> str:
        """Which sensor is out of range, and what that likely means."""
        if not self.perineal_ok(perineal_kpa):
            return (f"perineal sensor reads {perineal_kpa:.2f} kPa, over its range: saturated?"
                    if perineal_kpa >= self.max_kpa else f"perineal sensor reads {perineal_kpa:.2f} kPa: disconnected?")
        for side, kg in (("left", left_kg), ("right", right_kg)):
            if not self.seat_ok(kg):
                at_limit = kg >= self.max_kg
                return (f"{side} seat sensor reads {kg:.1f} kg, at its limit: saturated?" if at_limit
                        else f"{side} seat sensor reads {kg:.1f} kg: disconnected?")
        return "sensors in range"
