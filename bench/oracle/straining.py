"""Actions that raise intra-abdominal pressure: bearing down (straining) and coughing.

Both push the perineum down onto the cushion: the perineal pressure RISES. A bear-down ramps up
over 0.15-1.2 s, holds with a wavering (often growing) effort, and lets go over 0.2-0.8 s; the
trunk flexes a little, so the sitting bones unload slightly. A cough is a sharp spike: a
closed-glottis compression (IAP rising, 0.05-0.15 s), then the expulsion (0.08-0.25 s; the spike
lasts at most 0.38 s), a small rebound, and a trunk jerk that shows on the seat as a brief load
swing.
"""

from __future__ import annotations

import math

from .actions import Action
from .shapes import Wobble, release, rise, smoothstep


class BearDown(Action):
    kind = "bear_down"

    def __init__(self, rng, person, *, start_s, push_kpa, dur_s, breath_held=False):
        super().__init__(start_s, start_s + dur_s)
        self.push_kpa = push_kpa
        self.rise_s = min(rng.uniform(0.15, 1.2), 0.4 * dur_s)
        self.release_s = min(rng.uniform(0.2, 0.8), 0.35 * dur_s)
        self.t_top = start_s + self.rise_s
        self.t_rel = start_s + dur_s - self.release_s
        self.slope = rng.uniform(-0.15, 0.25)
        self.unsteady = rng.uniform(0.03, 0.08)
        self.wob = Wobble(rng, 0.3, 2.0)
        self.unload_kg = rng.uniform(0.0, 0.3)
        self.shape_rel = self._plateau(self.t_rel)
        self.details = {"rise_s": round(self.rise_s, 3), "breath_held": breath_held}

    def _plateau(self, t):
        span = max(self.t_rel - self.t_top, 0.1)
        return 1.0 + self.slope * (t - self.t_top) / span + self.unsteady * self.wob(t)

    def shape(self, t):
        if t <= self.start_s or t >= self.end_s:
            return 0.0
        if t < self.t_top:
            u = (t - self.start_s) / self.rise_s
            return rise(u) * (1.0 + self.unsteady * self.wob(t) * u)
        if t < self.t_rel:
            return self._plateau(t)
        return self.shape_rel * release((t - self.t_rel) / self.release_s)

    def render(self, times, i0, i1, ch):
        for i in range(i0, i1):
            t = times[i]
            s = self.shape(t)
            ch.perineal[i] += self.push_kpa * s
            ch.seat_left[i] -= self.unload_kg * s
            ch.seat_right[i] -= self.unload_kg * s
            self._track(t, self.push_kpa * s)


class Cough(Action):
    kind = "cough"

    def __init__(self, rng, *, start_s, peak_kpa, compress_s, expel_s, inhale_start_s=None):
        self.compress_s = compress_s
        self.expel_s = expel_s
        self.spike_end = start_s + compress_s + expel_s
        self.rebound = rng.uniform(0.0, 0.1)
        self.rebound_s = rng.uniform(0.1, 0.2) if self.rebound > 0.02 else 0.0
        super().__init__(start_s, self.spike_end + self.rebound_s)
        self.peak_kpa = peak_kpa
        self.jerk_kg = rng.uniform(0.3, 1.5)
        self.jerk_s = compress_s + expel_s + rng.uniform(0.1, 0.3)
        self.window = (start_s, max(self.end_s, start_s + self.jerk_s))
        asym = rng.uniform(-0.15, 0.15)
        self.left, self.right = 1.0 + asym, 1.0 - asym
        self.details = {"spike_s": round(compress_s + expel_s, 3),
                        "inhale_before": inhale_start_s is not None}
        if inhale_start_s is not None:
            self.details["inhale_start_s"] = round(inhale_start_s, 3)

    def shape(self, t):
        if t <= self.start_s:
            return 0.0
        if t < self.start_s + self.compress_s:
            return smoothstep((t - self.start_s) / self.compress_s)
        if t < self.spike_end:
            return release((t - self.start_s - self.compress_s) / self.expel_s)
        if t < self.end_s and self.rebound_s:
            return -self.rebound * math.sin(math.pi * (t - self.spike_end) / self.rebound_s)
        return 0.0

    def render(self, times, i0, i1, ch):
        for i in range(i0, i1):
            t = times[i]
            kpa = self.peak_kpa * self.shape(t)
            ch.perineal[i] += kpa
            self._track(t, kpa)
            u = (t - self.start_s) / self.jerk_s
            if 0.0 < u < 1.0:
                jerk = self.jerk_kg * math.sin(2.0 * math.pi * u) * math.sin(math.pi * u)
                ch.seat_left[i] += jerk * self.left
                ch.seat_right[i] += jerk * self.right
