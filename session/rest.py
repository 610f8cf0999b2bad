"""What rest looks like on this person and this cushion, measured, never assumed.

`RestTracker` learns, during a quiet warm-up and then whenever the floor rests:
- `baseline_kpa`: the resting level (the smoothed pressure's mean), following slow
  drift with `baseline_tau_s`;
- `noise_kpa`: the white sensor noise, sd of one sample, from second differences of the
  raw samples (a straight trend cancels in them, so breathing barely counts), never
  below the sensor chain's quantisation floor;
- `deviation_kpa`: the mean distance of the smoothed pressure from the baseline
  (breathing, wander and what noise the smoothing leaves), a catch-all for anything
  the breath tracker does not follow;
- `dt_s`: the mean sample spacing, which sets how much noise the smoothing leaves.
The detectors' thresholds are multiples of these (`session.detectability`).
"""

from __future__ import annotations

from session.detectability import (BREATH_SIZE_SEEN, LIFT_BREATH_K, LIFT_LEVEL_BREATH_K,
                                   LIFT_LEVEL_NOISE_K, LIFT_NOISE_K, NOISE_FLOOR_KPA, PUSH_BREATH_K,
                                   PUSH_NOISE_K, SMOOTH_TAU_S, TONE_BREATH_K, TONE_NOISE_K)
from session.filters import noise_gain

_ABS_D2_PER_SD = 1.954    # E|x[k] - 2 x[k-1] + x[k-2]| of white noise, in sds (sqrt(6) * sqrt(2/pi))
MEAN_ABS_PER_SD = 0.8     # E|x| / sd, for noise and breathing alike (0.80 and 0.90)
SD_TO_SWING = 2.83        # a steady breath's swing is 2 sqrt(2) sds
OUTLIER_K = 2.5           # rest statistics take a sample at most this many times the usual ...
GROW_TAU_S = 60.0         # ... and grow only slowly


class RestTracker:
    __slots__ = ("baseline_tau_s", "stats_tau_s", "baseline_kpa", "noise_kpa", "deviation_kpa", "dt_s", "learnt_s",
                 "_d2_abs", "_x1", "_x2", "_n_raw", "_n", "_sum", "_sum2", "_sum_d2", "_sum_dt")

    def __init__(self, *, baseline_tau_s: float = 10.0, stats_tau_s: float = 20.0) -> None:
        self.baseline_tau_s = baseline_tau_s
        self.stats_tau_s = stats_tau_s
        self.baseline_kpa = 0.0
        self.noise_kpa = NOISE_FLOOR_KPA
        self.deviation_kpa = 0.0
        self.dt_s = 0.004
        self.learnt_s = 0.0           # seconds of settled rest learnt from since the warm-up
        self._d2_abs = 0.0            # mean |second difference| of the raw samples
        self._x1 = self._x2 = 0.0     # the two previous raw samples
        self._n_raw = 0
        self._n = 0                   # warm-up accumulators
        self._sum = self._sum2 = self._sum_d2 = self._sum_dt = 0.0

    def track_raw(self, x: float) -> float:
        """Keep the second-difference history of the raw samples going; returns |d2|."""
        x1 = self._x1
        d2 = x - 2.0 * x1 + self._x2
        self._x2 = x1
        self._x1 = x
        self._n_raw += 1
        return d2 if d2 >= 0.0 else -d2

    def warm(self, x: float, y: float, dt_s: float) -> None:
        """Accumulate one quiet warm-up sample (raw `x`, smoothed `y`)."""
        d2 = self.track_raw(x)
        if self._n_raw < 3:
            return
        self._n += 1
        self._sum += y
        self._sum2 += y * y
        self._sum_d2 += d2
        self._sum_dt += dt_s

    def finish_warmup(self) -> None:
        n = max(1, self._n)
        mean = self._sum / n
        self.baseline_kpa = mean
        self.deviation_kpa = 0.8 * max(0.0, self._sum2 / n - mean * mean) ** 0.5
        self._d2_abs = self._sum_d2 / n
        self.dt_s = self._sum_dt / n if self._n else self.dt_s
        self.update_noise()

    def follow(self, d: float, step_kpa: float, dt_s: float) -> None:
        """Move the baseline towards the smoothed pressure (`d` = y - baseline); a far-off
        pressure counts as `step_kpa` off, so the baseline follows a slow shift of the
        resting level surely but a movement not yet recognised only slowly."""
        pull = d if -step_kpa < d < step_kpa else (step_kpa if d > 0.0 else -step_kpa)
        self.baseline_kpa += pull * (dt_s / (self.baseline_tau_s + dt_s))

    def learn(self, d2_abs: float, d: float, dt_s: float) -> None:
        """At full rest: move the statistics towards this sample's (`d2_abs`: the raw
        second difference). `noise_kpa` is brought up to date by `update_noise()`."""
        k = dt_s / (self.stats_tau_s + dt_s)
        ad = d if d > 0.0 else -d
        deviation = self.deviation_kpa
        if ad > deviation:                  # a movement not recognised must not teach rest:
            limit = OUTLIER_K * deviation   # larger deviations count less, and slowly
            ad = ad if ad < limit else limit
            k = dt_s / (GROW_TAU_S + dt_s)
        self.deviation_kpa = deviation + (ad - deviation) * k
        self._d2_abs += (d2_abs - self._d2_abs) * k
        self.dt_s += (dt_s - self.dt_s) * k
        self.learnt_s += dt_s

    def update_noise(self) -> None:
        """Turn the learnt mean |second difference| into `noise_kpa` (before reading it)."""
        noise = self._d2_abs / _ABS_D2_PER_SD
        self.noise_kpa = noise if noise > NOISE_FLOOR_KPA else NOISE_FLOOR_KPA


class Thresholds:
    """The detectors' thresholds in kPa, recomputed from what rest looks like.

    `update()` takes the rest statistics and the breath tracker's size; each threshold is
    BREATH_K x the breath swing + NOISE_K x the noise left after smoothing (the constants
    and the rule are in `session.detectability`). The swing is the larger of what the
    breath tracker saw and what the rest deviation implies, so that wander the tracker
    does not follow raises the thresholds too.
    """

    __slots__ = ("lift_fall_kpa", "lift_level_kpa", "push_kpa", "let_go_kpa", "noise_y_kpa", "noise_kpa",
                 "breath_kpa", "breath_period_s")

    def __init__(self) -> None:
        self.lift_fall_kpa = self.lift_level_kpa = self.push_kpa = self.let_go_kpa = 0.0
        self.noise_y_kpa = self.noise_kpa = self.breath_kpa = 0.0
        self.breath_period_s = 5.0

    def update(self, rest: RestTracker, breath_size_kpa: float, breath_period_s: float) -> None:
        self.noise_kpa = rest.noise_kpa
        self.breath_period_s = breath_period_s
        self.noise_y_kpa = noise_y = rest.noise_kpa * noise_gain(SMOOTH_TAU_S, rest.dt_s)
        # the breath tracker's band-pass sees a little less than the whole swing; the rest
        # deviation, less its noise, gives the swing of a steady breath (and takes in wander)
        dev_sd = rest.deviation_kpa / MEAN_ABS_PER_SD
        slow_var = dev_sd * dev_sd - noise_y * noise_y
        from_deviation = SD_TO_SWING * slow_var ** 0.5 if slow_var > 0.0 else 0.0
        self.breath_kpa = breath = max(BREATH_SIZE_SEEN * breath_size_kpa, from_deviation)
        self.lift_fall_kpa = LIFT_BREATH_K * breath + LIFT_NOISE_K * noise_y
        self.lift_level_kpa = LIFT_LEVEL_BREATH_K * breath + LIFT_LEVEL_NOISE_K * noise_y
        self.push_kpa = PUSH_BREATH_K * breath + PUSH_NOISE_K * noise_y
        # the let-go tolerance judges the level's slow moves: the breath's own size sets it, not
        # the wander, which is what it judges (a floor that tenses and lets go in turn wanders)
        self.let_go_kpa = TONE_BREATH_K * BREATH_SIZE_SEEN * breath_size_kpa + TONE_NOISE_K * noise_y
