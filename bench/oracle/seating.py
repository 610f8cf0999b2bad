"""Actions seen mostly on the seat load cells: buttock squeezes, posture shifts, standing up and
sitting down.

Loads are per sitting bone, kg. Leaning sideways moves load from one sitting bone to the other;
leaning forward moves body weight onto the thighs and feet (both sitting bones unload) and rolls
the pelvis forward onto the perineum (perineal pressure rises); leaning back (slumping) rolls it
onto the sacrum (perineal pressure drops, the sitting bones unload a little). Squeezing the
buttocks bulges the gluteal muscles and lifts the pelvis a few millimetres: both sitting bones
unload, and the perineum may follow the pelvis up a little (a small lift-like drop).
"""

from __future__ import annotations

import bisect
import math

from .actions import Action
from .shapes import Wobble, release, rise, smoothstep


class Glute(Action):
    kind = "glute"

    def __init__(self, rng, person, *, start_s, hold_s, with_lift):
        self.rise_s = rng.uniform(0.2, 0.6)
        self.release_s = rng.uniform(0.3, 1.0)
        self.t_top = start_s + self.rise_s
        self.t_rel = self.t_top + hold_s
        super().__init__(start_s, self.t_rel + self.release_s)
        self.unload_kg = rng.uniform(0.5, 4.0)
        asym = rng.uniform(-0.3, 0.3)
        self.left, self.right = 1.0 + asym, 1.0 - asym
        shows = rng.random() < 0.75
        self.drop_kpa = person.rest_kpa * rng.uniform(0.003, 0.04) if shows else 0.0
        self.sag = rng.uniform(0.0, 0.15)
        self.trem = Wobble(rng, 6.0, 10.0)
        self.tremor = rng.uniform(0.01, 0.04)
        self.details = {"with_lift": with_lift, "hold_s": round(hold_s, 3),
                        "unload_kg": round(self.unload_kg, 3)}

    def shape(self, t):
        if t <= self.start_s or t >= self.end_s:
            return 0.0
        if t < self.t_top:
            return rise((t - self.start_s) / self.rise_s)
        span = max(self.t_rel - self.t_top, 0.1)
        held = 1.0 - self.sag * min(1.0, (t - self.t_top) / span)
        if t < self.t_rel:
            return held
        return (1.0 - self.sag) * release((t - self.t_rel) / self.release_s)

    def render(self, times, i0, i1, ch):
        for i in range(i0, i1):
            t = times[i]
            s = self.shape(t)
            s_seat = s * (1.0 + self.tremor * self.trem(t))
            ch.seat_left[i] -= self.unload_kg * self.left * s_seat
            ch.seat_right[i] -= self.unload_kg * self.right * s_seat
            ch.perineal[i] -= self.drop_kpa * s
            self._track(t, -self.drop_kpa * s)


class Posture(Action):
    kind = "posture"

    def __init__(self, rng, person, *, start_s, way, permanent, hold_s=0.0, until_s=math.inf,
                 undo=None):
        """undo: a lasting Posture this one goes back from (its loads and perineal change
        reversed; `way` should then be the reverse of its way)."""
        self.move_s = rng.uniform(0.5, 2.0)
        self.back_s = rng.uniform(0.5, 2.0)
        self.t_back = start_s + self.move_s + hold_s
        end_s = start_s + self.move_s if permanent else self.t_back + self.back_s
        super().__init__(start_s, end_s)
        self.permanent = permanent
        if permanent:
            self.window = (start_s, until_s)
        rest = person.rest_kpa
        self.details = {"way": way, "permanent": permanent}
        if undo is not None:
            self._go_back(undo)
            return
        if way == "side":
            toward = rng.choice(("left", "right"))
            shift = rng.uniform(2.0, 10.0)
            self.d_left, self.d_right = (shift, -shift) if toward == "left" else (-shift, shift)
            self.kpa = rest * rng.uniform(-0.03, 0.03)
            self.details["toward"] = toward
        elif way == "forward":
            unload = rng.uniform(1.5, 6.0)
            self.d_left = self.d_right = -unload
            self.kpa = unload * person.ap_kpa_per_kg * rng.uniform(0.8, 1.5)
        else:
            unload = rng.uniform(0.5, 3.0)
            self.d_left = self.d_right = -unload
            self.kpa = -rest * rng.uniform(0.03, 0.10)
        asym = rng.uniform(-0.1, 0.1)
        self.d_left *= 1.0 + asym
        self.d_right *= 1.0 - asym
        self.details["left_kg"] = self.d_left
        self.details["right_kg"] = self.d_right

    def _go_back(self, lasting) -> None:
        """Back from a lasting shift to the posture before it."""
        self.d_left, self.d_right, self.kpa = -lasting.d_left, -lasting.d_right, -lasting.kpa
        if "toward" in lasting.details:
            self.details["toward"] = "right" if lasting.details["toward"] == "left" else "left"
        self.details.update(returning=True, left_kg=self.d_left, right_kg=self.d_right)

    def shape(self, t):
        if t <= self.start_s:
            return 0.0
        value = smoothstep((t - self.start_s) / self.move_s)
        if not self.permanent and t > self.t_back:
            value *= 1.0 - smoothstep((t - self.t_back) / self.back_s)
        return value

    def render(self, times, i0, i1, ch):
        i_still = bisect.bisect_left(times, self.end_s, i0, i1) if self.permanent else i1
        for i in range(i0, i_still):
            t = times[i]
            s = self.shape(t)
            ch.seat_left[i] += self.d_left * s
            ch.seat_right[i] += self.d_right * s
            ch.perineal[i] += self.kpa * s
            self._track(t, self.kpa * s)
        if i_still < i1:   # the new posture, from then on
            self._track(self.end_s, self.kpa)
            ch.hold(i_still, i1, self.kpa, self.d_left, self.d_right)


class StandUp(Action):
    """Lean forward (sitting bones unload, perineal rises), then lift off: the seat unloads entirely
    and the cushion returns to its unloaded pressure until the person sits down again."""

    kind = "stand_up"

    def __init__(self, rng, person, *, start_s, until_s):
        self.lean_s = rng.uniform(0.5, 1.0)
        self.off_start = start_s + self.lean_s * rng.uniform(0.6, 0.9)
        self.off_s = rng.uniform(0.3, 0.8)
        super().__init__(start_s, self.off_start + self.off_s)
        self.window = (start_s, until_s)
        lightest_kg = min(person.seat_left_kg, person.seat_right_kg)
        self.lean_kg = min(rng.uniform(3.0, 10.0), 0.3 * lightest_kg)
        self.lean_kpa = person.rest_kpa * rng.uniform(0.03, 0.1)

    def render(self, times, i0, i1, ch):
        for i in range(i0, i1):
            t = times[i]
            if t >= self.end_s:
                ch.present_p[i] = 0.0
                ch.present_s[i] = 0.0
                continue
            lean = smoothstep((t - self.start_s) / self.lean_s)
            ch.seat_left[i] -= self.lean_kg * lean
            ch.seat_right[i] -= self.lean_kg * lean
            ch.perineal[i] += self.lean_kpa * lean
            on = 1.0 - smoothstep((t - self.off_start) / self.off_s)
            ch.present_p[i] *= on
            ch.present_s[i] *= on


class SitDown(Action):
    """From first contact: the seat loads within 0.3-0.8 s with a landing overshoot that settles,
    the person ends up in a slightly different spot (new rest level, new left/right split)."""

    kind = "sit_down"

    def __init__(self, rng, person, *, start_s, until_s=math.inf):
        self.descend_s = rng.uniform(0.3, 0.8)
        self.overshoot = rng.uniform(0.1, 0.3)
        self.settle_s = rng.uniform(0.12, 0.3)
        self.t_peak = start_s + self.descend_s
        super().__init__(start_s, self.t_peak + 4.0 * self.settle_s)
        self.window = (start_s, until_s)
        self.rest_shift_kpa = person.rest_kpa * rng.uniform(-0.04, 0.04)
        shift = rng.uniform(-1.5, 1.5)
        total = rng.uniform(-1.0, 1.0)
        self.d_left, self.d_right = total / 2 + shift, total / 2 - shift
        self.details = {"left_kg": self.d_left, "right_kg": self.d_right}

    def render(self, times, i0, i1, ch):
        i_still = bisect.bisect_left(times, self.t_peak + 15.0 * self.settle_s, i0, i1)
        for i in range(i0, i_still):
            t = times[i]
            if t < self.t_peak:
                seat = smoothstep((t - self.start_s) / self.descend_s) * (1.0 + self.overshoot)
            else:
                seat = 1.0 + self.overshoot * math.exp(-(t - self.t_peak) / self.settle_s)
            ch.present_s[i] *= seat
            ch.present_p[i] *= smoothstep((t - self.start_s) / (1.3 * self.descend_s))
        ch.hold(i0, i1, self.rest_shift_kpa, self.d_left, self.d_right)
