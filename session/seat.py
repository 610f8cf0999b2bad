"""Is somebody sitting on the cushion? From the two sitting-bone loads, with hysteresis.

Sitting is confirmed when the total seat load has stayed above `sit_kg` for `confirm_s`,
standing when it has stayed below `stand_kg` for `confirm_s`; in between, the last state
holds, so shifting weight or leaning never toggles it.
"""

from __future__ import annotations


class SeatDetector:
    def __init__(self, *, sit_kg: float = 15.0, stand_kg: float = 8.0, confirm_s: float = 1.0,
                 seated: bool = False) -> None:
        self.sit_kg = sit_kg
        self.stand_kg = stand_kg
        self.confirm_s = confirm_s
        self.seated = seated
        self._since_s: float | None = None

    def update(self, t_s: float, left_kg: float, right_kg: float) -> bool:
        """Feed the loads at time `t_s`; returns whether the user is (confirmed) seated."""
        load_kg = left_kg + right_kg
        other_side = load_kg < self.stand_kg if self.seated else load_kg > self.sit_kg
        if not other_side:
            self._since_s = None
        elif self._since_s is None:
            self._since_s = t_s
        elif t_s - self._since_s >= self.confirm_s:
            self.seated = not self.seated
            self._since_s = None
        return self.seated
