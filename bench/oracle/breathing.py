"""Breathing: lung volume over time, breath by breath.

Volume is in tidal units: 0 is the end-expiratory level (FRC), an average quiet breath peaks at 1.0.
Each breath has its own period and depth (correlated breath-to-breath variability around a slowly
wandering rate), an inspiration of about 40 % of the period (half-sine flow, so a raised-cosine
volume) and a passive, exponential expiration that flattens into the end-expiratory pause. Sighs
(2-3.5 tidal volumes) come a few times an hour, each followed by a short unlabelled pause.

The breathing is generated lazily, forward in time, so a scenario script can ask where the next
exhale starts (to cue a lift on the exhale), and insert voluntary breath holds or cough manoeuvres
at a moment; the breathing after that moment is then generated afresh, starting with the recovery
breaths that follow a hold.
"""

from __future__ import annotations

import bisect
import math

from .shapes import exhale

IN, OUT, FAST_OUT, HOLD = "in", "out", "fast_out", "hold"
V_MEAN = 0.39  # mean volume over a quiet breath (tidal units): the level the perineal rest sits at


def _value(seg, t: float) -> float:
    t0, dur, v0, v1, shape, _stop = seg
    if shape == HOLD:
        return v0
    u = (t - t0) / dur
    if u <= 0.0:
        return v0
    if u >= 1.0:
        return v1
    if shape == IN:
        return v0 + (v1 - v0) * 0.5 * (1.0 - math.cos(math.pi * u))
    if shape == OUT:
        return v1 + (v0 - v1) * exhale(u)
    return v1 + (v0 - v1) * exhale(u, 5.0)


class Breathing:
    def __init__(self, rng, person):
        self.rng = rng
        self.period_s = 60.0 / person.breath_bpm
        self.ti_frac = person.ti_frac
        self.period_cv = person.period_cv
        self.depth_cv = person.depth_cv
        self.sighs_per_h = person.sighs_per_h
        self.segments = []          # (t0, dur, v0, v1, shape, t_stop), contiguous, sorted
        self.starts = []            # t0 of each segment, for bisect
        self.t_end = -10.0 - rng.uniform(0.0, self.period_s)
        self.v_end = 0.0
        self.base = 0.0             # slowly wandering end-expiratory level
        self.rate_dev = 0.0         # slow drift of the rate (log units)
        self.period_dev = 0.0       # breath-to-breath, correlated
        self.depth_dev = 0.0
        self.recovery = []          # depth factors of the next breaths after a hold or cough
        self.regular = []           # (t0, period) of every quiet breath
        self.holds = []             # (t_stop_breathing, t_resume, v_held): voluntary holds
        self.pauses = []            # (t0, t1) unlabelled post-sigh pauses

    # -- generation ---------------------------------------------------------------------------
    def _append(self, t0, dur, v0, v1, shape):
        self.segments.append((t0, dur, v0, v1, shape, t0 + dur))
        self.starts.append(t0)
        self.t_end = t0 + dur
        self.v_end = v1

    def _breath(self):
        rng = self.rng
        self.rate_dev = 0.95 * self.rate_dev + 0.31 * 0.06 * rng.gauss(0.0, 1.0)
        self.period_dev = 0.5 * self.period_dev + 0.87 * self.period_cv * rng.gauss(0.0, 1.0)
        self.depth_dev = 0.4 * self.depth_dev + 0.92 * self.depth_cv * rng.gauss(0.0, 1.0)
        period = self.period_s * math.exp(self.rate_dev) * (1.0 + self.period_dev)
        period = min(max(period, 0.55 * self.period_s), 1.8 * self.period_s)
        depth = max(0.35, 1.0 + self.depth_dev)
        ti_frac = self.ti_frac * (1.0 + 0.08 * rng.gauss(0.0, 1.0))
        sigh = False
        if self.recovery:
            depth *= self.recovery.pop(0)
            period *= 0.9
        elif rng.random() < period * self.sighs_per_h / 3600.0:
            sigh = True
            depth *= rng.uniform(2.0, 3.5)
            ti_frac = 0.45
            period *= rng.uniform(1.4, 1.9)
        self.regular.append((self.t_end, period))
        new_base = 0.8 * self.base + 0.6 * 0.08 * rng.gauss(0.0, 1.0)
        t0, v0 = self.t_end, self.v_end
        ti = period * min(max(ti_frac, 0.28), 0.55)
        peak = self.base + depth
        self._append(t0, ti, v0, peak, IN)
        self._append(t0 + ti, period - ti, peak, new_base, OUT)
        self.base = new_base
        if sigh:
            pause = rng.uniform(0.5, 2.5)
            self.pauses.append((self.t_end, self.t_end + pause))
            self._append(self.t_end, pause, new_base, new_base, HOLD)

    def ensure(self, t: float) -> None:
        while self.t_end <= t:
            self._breath()

    def truncate(self, t: float) -> float:
        """Forget all breathing planned from t on; return the volume at t."""
        self.ensure(t)
        k = bisect.bisect_right(self.starts, t) - 1
        seg = self.segments[k]
        v = _value(seg, t)
        del self.segments[k + 1:]
        del self.starts[k + 1:]
        self.segments[k] = seg[:5] + (t,)
        self.t_end, self.v_end = t, v
        while self.regular and self.regular[-1][0] >= t:
            self.regular.pop()
        return v

    def _resume(self, deeper):
        """After a hold or a cough: empty the lungs if they are full, then deeper breaths."""
        if self.v_end > self.base + 0.45:
            dur = self.period_s * (1.0 - self.ti_frac) * self.rng.uniform(0.8, 1.2)
            dur *= min(2.0, 0.6 + 0.4 * (self.v_end - self.base))
            self._append(self.t_end, dur, self.v_end, self.base, OUT)
        self.recovery = list(deeper)

    # -- voluntary manoeuvres -------------------------------------------------------------------
    def hold(self, t_stop: float, t_resume: float, catch_s: float = 0.0, catch_depth: float = 0.0):
        """Stop breathing from t_stop until t_resume (glottis closed, volume held), optionally after
        a quick catch-breath of catch_s seconds. Returns the held volume."""
        if catch_s > 0.0:
            v = self.truncate(t_stop - catch_s)
            self._append(t_stop - catch_s, catch_s, v, v + catch_depth, IN)
        else:
            self.truncate(t_stop)
        v_held = self.v_end
        self._append(t_stop, t_resume - t_stop, v_held, v_held, HOLD)
        self.holds.append((t_stop, t_resume, v_held))
        self._resume((self.rng.uniform(1.3, 1.7), self.rng.uniform(1.05, 1.3)))
        return v_held

    def cough_bout(self, spikes, inhale_s: float, inhale_depth: float) -> None:
        """Cough manoeuvre. spikes: [(t_start, compress_s, expel_s)]: an optional quick deep
        inhale, then per cough a closed-glottis compression (volume held) and a fast expulsion."""
        t_first = spikes[0][0]
        if inhale_s > 0.0:
            v = self.truncate(t_first - inhale_s)
            self._append(t_first - inhale_s, inhale_s, v, v + inhale_depth, IN)
        else:
            self.truncate(t_first)
        low = self.base - self.rng.uniform(0.2, 0.5)
        step = (self.v_end - low) / len(spikes)
        for t_start, compress_s, expel_s in spikes:
            if t_start > self.t_end:
                self._append(self.t_end, t_start - self.t_end, self.v_end, self.v_end, HOLD)
            self._append(t_start, compress_s, self.v_end, self.v_end, HOLD)
            self._append(t_start + compress_s, expel_s, self.v_end, self.v_end - step, FAST_OUT)
        self.base = low
        self._resume((self.rng.uniform(1.4, 2.0), self.rng.uniform(1.0, 1.3)))
        self.base = 0.0

    # -- queries --------------------------------------------------------------------------------
    def value(self, t: float) -> float:
        self.ensure(t)
        k = max(0, bisect.bisect_right(self.starts, t) - 1)
        return _value(self.segments[k], t)

    def next_exhale(self, t: float):
        """Start of the next quiet exhale at or after t (None if there is none soon)."""
        self.ensure(t + 3.0 * self.period_s)
        k = max(0, bisect.bisect_left(self.starts, t))
        for seg in self.segments[k:]:
            if seg[4] == OUT and seg[0] <= t + 2.5 * self.period_s:
                return seg[0]
        return None

    def period_at(self, t: float) -> float:
        """The breath period around t: the mean of the last three quiet breaths before it."""
        k = bisect.bisect_left(self.regular, (t, -1.0))
        recent = [p for _, p in self.regular[max(0, k - 3):k]]
        return sum(recent) / len(recent) if recent else self.period_s

    def render(self, times, out) -> None:
        """out[i] = volume at times[i]."""
        self.ensure(times[-1] + 1.0 if times else 0.0)
        segs = self.segments
        k = 0
        n_segs = len(segs)
        for i, t in enumerate(times):
            while k + 1 < n_segs and segs[k + 1][0] <= t:
                k += 1
            out[i] = _value(segs[k], t)
