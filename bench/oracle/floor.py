"""Voluntary pelvic floor lifts (holds, flicks, endurance holds) and over-tense resting tone.

A lift draws the perineum up off the cushion: the perineal pressure drops by strength x activation.
Physiology (see README.md): rise 0.2-1 s with a concave force curve and sometimes an overshoot or a
hesitant two-step start; during the hold slow unsteadiness (0.3-1.5 Hz) and physiological tremor
(8-12 Hz), both growing with fatigue; fatigue as a saturating loss of force that is faster at higher
levels, with occasional re-grips during long holds; a release that is roughly exponential, slower
than the rise, and sometimes incomplete (a residual lift that fades over seconds).
"""

from __future__ import annotations

import math

from .actions import Action
from .shapes import Wobble, release, rise, smoothstep

FATIGUE_CAP = 0.6  # a held level never sags by more than this fraction before the person gives up


class Contraction(Action):
    kind = "contraction"
    stage = 0

    def __init__(self, rng, person, *, start_s, style, level, hold_s, rise_s, release_s,
                 residual_frac=0.0, residual_tau_s=6.0, floors=None, headroom=1.0,
                 breath_held=False):
        self.style = style
        self.level = level
        self.rise_s, self.hold_s, self.release_s = rise_s, hold_s, release_s
        self.t_top = start_s + rise_s
        self.t_rel = self.t_top + hold_s
        super().__init__(start_s, self.t_rel + release_s)
        self.kpa_per_unit = person.strength_kpa * headroom
        self.coact_kg = person.coact_kg
        self.residual = residual_frac * level
        self.residual_tau_s = residual_tau_s
        if self.residual > 0.0:
            self.window = (start_s, self.end_s + 5.0 * residual_tau_s)
        self.floors = floors or [1.0]
        slow = style != "flick"
        self.overshoot = rng.uniform(0.0, 0.12) if slow and rng.random() < 0.5 else 0.0
        self.hesitant = rng.uniform(0.35, 0.65) if slow and rng.random() < 0.15 else 0.0
        self.tremor = person.tremor_frac * (1.0 if slow else 0.3)
        self.unsteady = person.unsteady_frac * (1.0 if slow else 0.0)
        self.trem = Wobble(rng, 8.0, 12.0)
        self.wob = Wobble(rng, 0.3, 1.5)
        rate = person.fatigability * (0.003 + 0.02 * level * level) if slow else 0.0
        self.fatigue_rate = rate
        self.regrips = []
        if slow and rate > 0.0 and hold_s > 15.0:
            t_from = 0.0
            for _ in range(2):
                sag = rng.uniform(0.1, 0.2)
                if sag >= FATIGUE_CAP:
                    break
                tau = -FATIGUE_CAP / rate * math.log(1.0 - sag / FATIGUE_CAP)
                t_g = max(tau, t_from) + rng.uniform(0.0, 3.0)
                if t_g > hold_s - 2.0:
                    break
                amount = rng.uniform(0.4, 0.8) * sag * level
                self.regrips.append((self.t_top + t_g, rng.uniform(0.4, 0.8), amount))
                t_from = t_g + 5.0
        self.a_rel = self._smooth(self.t_rel)
        self.details = {"style": style, "hold_s": round(hold_s, 3), "breath_held": breath_held,
                        "level": round(level, 3)}
        if len(self.floors) > 1:
            self.details["floors"] = [round(f * level, 3) for f in self.floors]

    def _fatigue(self, tau: float) -> float:
        if self.fatigue_rate <= 0.0 or tau <= 0.0:
            return 0.0
        return FATIGUE_CAP * (1.0 - math.exp(-self.fatigue_rate * tau / FATIGUE_CAP))

    def _floor(self, t: float) -> float:
        floors = self.floors
        value = floors[0]
        if len(floors) > 1:
            part = self.hold_s / len(floors)
            for j in range(1, len(floors)):
                step_at = self.t_top + j * part - 0.2
                value += (floors[j] - floors[j - 1]) * smoothstep((t - step_at) / 0.5)
        return value

    def _rise(self, u: float) -> float:
        h = self.hesitant
        if not h:
            return rise(u)
        if u < 0.4:
            return h * rise(u / 0.4)
        if u < 0.6:
            return h
        return h + (1.0 - h) * smoothstep((u - 0.6) / 0.4)

    def _smooth(self, t: float) -> float:
        """Activation without tremor and unsteadiness."""
        if t < self.t_top:
            return self.level * self.floors[0] * self._rise((t - self.start_s) / self.rise_s)
        tau = t - self.t_top
        value = self.level * self._floor(t) * (1.0 - self._fatigue(tau))
        if self.overshoot:
            value *= 1.0 + self.overshoot * math.exp(-tau / 0.4)
        for t_g, dur, amount in self.regrips:
            value += amount * smoothstep((t - t_g) / dur)
        return value

    def activation(self, t: float) -> float:
        if t < self.start_s:
            return 0.0
        if t >= self.end_s:
            if self.residual <= 0.0:
                return 0.0
            return self.residual * math.exp(-(t - self.end_s) / self.residual_tau_s)
        if t < self.t_rel:
            value = self._smooth(t)
            envelope = min(1.0, (t - self.start_s) / self.rise_s)
        else:
            u = (t - self.t_rel) / self.release_s
            value = self.residual + (self.a_rel - self.residual) * release(u)
            envelope = 1.0 - u
        fat = self._fatigue(t - self.t_top) / FATIGUE_CAP
        jitter = self.tremor * (1.0 + 3.0 * fat) * self.trem(t)
        jitter += self.unsteady * (1.0 + 1.5 * fat) * self.wob(t)
        return max(0.0, value + self.level * envelope * jitter)

    def render(self, times, i0, i1, ch):
        k = self.kpa_per_unit
        coact = self.coact_kg
        for i in range(i0, i1):
            t = times[i]
            a = self.activation(t)
            ch.lift[i] += a
            ch.perineal[i] -= k * a
            ch.seat_left[i] -= coact * a
            ch.seat_right[i] -= coact * a
            self._track(t, -k * a)

    @property
    def residual_kpa(self) -> float:
        """Residual perineal change right after the release, before gain (negative)."""
        return -self.kpa_per_unit * self.residual


class Tone(Action):
    """An over-tense floor: a resting lift of tone_frac x strength with guarded, shallow breathing,
    from t = 0 on. Let-go attempts release part of it slowly and it creeps back."""

    stage = 0

    def __init__(self, person, duration_s):
        super().__init__(0.0, duration_s)
        self.tone = person.tone_frac
        self.kpa = person.strength_kpa
        self.let_gos = []   # (t0, down_s, stay_s, up_s, depth)

    def let_go(self, t0, down_s, stay_s, up_s, depth):
        self.let_gos.append((t0, down_s, stay_s, up_s, depth))

    def value(self, t: float) -> float:
        released = 0.0
        for t0, down_s, stay_s, up_s, depth in self.let_gos:
            if t <= t0 or t >= t0 + down_s + stay_s + up_s:
                continue
            if t < t0 + down_s:
                released += depth * smoothstep((t - t0) / down_s)
            elif t < t0 + down_s + stay_s:
                released += depth
            else:
                released += depth * (1.0 - smoothstep((t - t0 - down_s - stay_s) / up_s))
        return self.tone * (1.0 - min(released, 1.0))

    def render(self, times, i0, i1, ch):
        for i in range(i0, i1):
            tone = self.value(times[i])
            ch.perineal[i] -= self.kpa * tone
            ch.guard[i] = tone / self.tone
