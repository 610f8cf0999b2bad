"""Breathing, read from the perineal signal: each inhale is a small rise, each exhale a
fall. Streaming, O(1), no allocation.

The pressure is band-passed: smoothed (`smooth_tau_s`, against tremor and noise) minus
a slower average (`trend_tau_s`), so drift, fatigue and a slow release become a steady
offset instead of a trend. The band is followed peak to trough: the phase flips to exhaling when it falls `swing_k` x the usual breath
size below the last peak, and to inhaling when it rises as much above the last trough.
This follows breathing on top of drift and of a lift's slow fatigue. Two flips are one
breath; the spacing of inhales gives the rate (an interval far from the usual one is a
missed or a spurious breath and is not counted), and the breath size is learnt at rest
(started from the warm-up's rest deviation; a swing over 3x the size is not a breath). When no flip has come for `hold_k` x the
usual breath period (at least `min_hold_s`), breathing has stopped: `holding` turns
True and `hold_start` is when the breathing was last seen.
"""

from __future__ import annotations


class BreathTracker:
    def __init__(self, *, smooth_tau_s: float = 0.3, trend_tau_s: float = 2.0, swing_k: float = 0.4, min_swing_kpa: float = 0.008,
                 hold_k: float = 2.2, min_hold_s: float = 8.0, period_s: float = 5.0) -> None:
        self.smooth_tau_s = smooth_tau_s
        self.trend_tau_s = trend_tau_s
        self.swing_k = swing_k
        self.min_swing_kpa = min_swing_kpa
        self.hold_k = hold_k
        self.min_hold_s = min_hold_s
        self.period_s = period_s           # learnt: seconds per breath
        self.size_kpa = 0.0                # learnt: trough-to-peak size of a resting breath
        self.inhaling = False
        self.holding = False
        self.hold_start = 0.0
        self._fast = self._trend = 0.0
        self._peak = self._trough = 0.0
        self._t = -1.0
        self._last_flip_t = 0.0
        self._last_inhale_t = -1.0

    @property
    def rate_bpm(self) -> float:
        return 60.0 / self.period_s

    def start(self, t: float, kpa: float, rest_dev_kpa: float) -> None:
        """Begin at the end of the warm-up, with its rest deviation as the first breath size."""
        self._t = self._last_flip_t = t
        self._fast = self._trend = kpa
        self._peak = self._trough = 0.0
        self.size_kpa = 2.0 * rest_dev_kpa

    def step(self, t: float, kpa: float, at_rest: bool) -> None:
        dt = t - self._t
        if dt <= 0.0:
            return
        self._t = t
        if dt > 0.5:
            dt = 0.5
        self._fast += (kpa - self._fast) * (dt / (self.smooth_tau_s + dt))
        self._trend += (kpa - self._trend) * (dt / (self.trend_tau_s + dt))
        x = self._fast - self._trend
        swing = self.swing_k * self.size_kpa
        if swing < self.min_swing_kpa:
            swing = self.min_swing_kpa
        if self.inhaling:
            if x > self._peak:
                self._peak = x
            elif x < self._peak - swing:
                self.inhaling = False
                size = self._peak - self._trough
                if at_rest and size < 3.0 * self.size_kpa:   # not a lift's tail or a movement
                    self.size_kpa += (size - self.size_kpa) * 0.2
                self._trough = x
                self._flipped(t)
        else:
            if x < self._trough:
                self._trough = x
            elif x > self._trough + swing:
                self.inhaling = True
                self._peak = x
                if self._last_inhale_t >= 0.0 and at_rest:
                    period = t - self._last_inhale_t
                    if 0.6 * self.period_s < period < 1.6 * self.period_s:   # not a missed breath
                        self.period_s += (period - self.period_s) * 0.3
                self._last_inhale_t = t
                self._flipped(t)
        if not self.holding and t - self._last_flip_t > max(self.min_hold_s, self.hold_k * self.period_s):
            self.holding = True
            self.hold_start = self._last_flip_t + 0.25 * self.period_s

    def _flipped(self, t: float) -> None:
        self._last_flip_t = t
        self.holding = False
