"""The cushion's sensors in physical units: perineal kPa, sitting-bone kg, supply volts.

The perineal sensor is ratiometric: its output scales with the supply, so the reading
is corrected by the last measured supply (`update_supply()`), which keeps a sagging
5 V adapter or a warm regulator from looking like a lift.
"""

from __future__ import annotations

from typing import Protocol

from drivers.adc import Ads1115Reader


class PressureCalibration(Protocol):
    offset_v: float    # output at 0 kPa gauge, at `supply_v`
    v_per_kpa: float
    supply_v: float    # nominal supply the calibration was made at


class LoadCalibration(Protocol):
    zero_v: float
    v_per_kg: float


class Cushion:
    """Reads each cushion channel through `adc` and converts it with its calibration."""

    def __init__(self, adc: Ads1115Reader, *, perineal_ain: int, left_ain: int, right_ain: int,
                 supply_ain: int, perineal: PressureCalibration, left: LoadCalibration,
                 right: LoadCalibration, divider_ratio: float) -> None:
        self.adc = adc
        self.perineal_ain = perineal_ain
        self.left_ain = left_ain
        self.right_ain = right_ain
        self.supply_ain = supply_ain
        self._perineal = perineal
        self._left = left
        self._right = right
        self._divider_ratio = divider_ratio
        self.supply_v = perineal.supply_v
        self._ratio = 1.0   # nominal / measured supply

    # --- conversions (the sampler reads the ADC itself, without waiting) ----------------------
    def use_supply(self, volts: float) -> float:
        """Take `volts` at the supply input as the supply rail for ratiometric correction;
        returns the rail in volts."""
        self.supply_v = volts / self._divider_ratio
        self._ratio = self._perineal.supply_v / self.supply_v if self.supply_v > 0.5 else 1.0
        return self.supply_v

    def perineal_kpa(self, volts: float) -> float:
        cal = self._perineal
        return (volts * self._ratio - cal.offset_v) / cal.v_per_kpa

    def left_kg(self, volts: float) -> float:
        return (volts - self._left.zero_v) / self._left.v_per_kg

    def right_kg(self, volts: float) -> float:
        return (volts - self._right.zero_v) / self._right.v_per_kg

    # --- blocking reads (self-test) --------------------------------------------------------------
    def update_supply(self) -> float:
        """Measure the supply rail (volts) and use it for ratiometric correction."""
        return self.use_supply(self.adc.read_volts(self.supply_ain))

    def read_perineal_kpa(self) -> float:
        return self.perineal_kpa(self.adc.read_volts(self.perineal_ain))

    def read_left_kg(self) -> float:
        return self.left_kg(self.adc.read_volts(self.left_ain))

    def read_right_kg(self) -> float:
        return self.right_kg(self.adc.read_volts(self.right_ain))
