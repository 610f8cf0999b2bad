"""What goes on all the time: slow postural wander and fidgets, the heartbeat, and cushion drift.

Postural wander: seated centre-of-pressure sway as two Ornstein-Uhlenbeck processes (left-right and
fore-aft, time constant 5-20 s) in kg of load per sitting bone; fore-aft wander also rolls the
pelvis, so it moves the perineal level a little (forward: up). Fidgets: small unlabelled shifts
(<= 1 kg left-right, <= 0.3 kg fore-aft per side) now and then that half return. Heartbeat: the
ballistocardiogram (the body's recoil to cardiac ejection, a H-I-J-K wave 0.15-0.4 s after each
beat) on both load cells, and a faint arterial pulse on the perineal cushion; the heart rate follows
the breath (respiratory sinus arrhythmia). Cushion drift: the air warms to body temperature
(exponential rise), leaks slowly, and wanders (random walk) -- a property of the cushion, so it is
returned separately (the sensor chain adds it).
"""

from __future__ import annotations

import bisect
import math
from array import array

from .breathing import V_MEAN
from .shapes import smoothstep

KNOT_S = 0.5


def _ou(rng, n, sd, tau_s, dt_s):
    a = math.exp(-dt_s / tau_s)
    b = sd * math.sqrt(1.0 - a * a)
    x = rng.gauss(0.0, sd)
    out = []
    for _ in range(n):
        out.append(x)
        x = a * x + b * rng.gauss(0.0, 1.0)
    return out


def _interp(knots, dt_s, times, add_to, scale=1.0):
    """add_to[i] += scale * knots linearly interpolated at times[i] (times ascending, >= 0)."""
    k, t_next = 0, dt_s
    left, slope = knots[0], (knots[1] - knots[0]) / dt_s
    for i, t in enumerate(times):
        if t >= t_next:
            k = int(t / dt_s)
            t_next = (k + 1) * dt_s
            left, slope = knots[k], (knots[k + 1] - knots[k]) / dt_s
        add_to[i] += scale * (left + slope * (t - k * dt_s))


class Background:
    def __init__(self, rng, person, breathing, duration_s, quiet_until_s):
        self.person = person
        n = int(duration_s / KNOT_S) + 4
        self.ml = _ou(rng, n, person.sway_ml_kg, person.sway_tau_s, KNOT_S)
        self.ap = _ou(rng, n, person.sway_ap_kg, person.sway_tau_s, KNOT_S)
        # fidgets: (t0, move_s, ml_kg, ap_kg, return_s)
        self.fidgets = []
        t = quiet_until_s
        rate = person.fidgets_per_min / 60.0
        while True:
            t += rng.expovariate(rate)
            if t > duration_s:
                break
            self.fidgets.append((t, rng.uniform(0.3, 1.0), rng.uniform(-1.0, 1.0),
                                 rng.uniform(-0.3, 0.3), rng.uniform(3.0, 10.0)))
        # heartbeats, with respiratory sinus arrhythmia (faster on the inhale)
        self.beats = []
        ibi = 60.0 / person.heart_bpm
        t = -rng.uniform(0.0, ibi)
        while t < duration_s + 1.0:
            self.beats.append(t)
            v = breathing.value(t) if t > 0.0 else V_MEAN
            t += ibi * (1.0 + 0.03 * rng.gauss(0.0, 1.0)) * (1.0 - person.rsa_frac * (v - V_MEAN))
        self.bcg_left = person.bcg_kg * rng.uniform(0.8, 1.2)
        self.bcg_right = person.bcg_kg * rng.uniform(0.8, 1.2)
        # cushion drift knots (1 s)
        self.walk = [0.0]
        for _ in range(int(duration_s) + 4):
            self.walk.append(self.walk[-1] + person.walk_kpa_per_sqrt_s * rng.gauss(0.0, 1.0))

    def render(self, times, ch) -> None:
        p = self.person
        ml = array("d", bytes(8 * len(times)))
        ap = array("d", ml)
        _interp(self.ml, KNOT_S, times, ml)
        _interp(self.ap, KNOT_S, times, ap)
        kept_ml = [0.0] * (len(times) + 1)   # steps of what each fidget leaves behind
        kept_ap = [0.0] * (len(times) + 1)
        for t0, move_s, d_ml, d_ap, return_s in self.fidgets:
            i0 = bisect.bisect_left(times, t0)
            i1 = bisect.bisect_left(times, t0 + move_s + 6.0 * return_s)
            for i in range(i0, i1):
                u = times[i] - t0
                back = math.exp(-max(0.0, u - move_s) / return_s)
                s = smoothstep(u / move_s) * (0.5 + 0.5 * back)
                ml[i] += d_ml * s
                ap[i] += d_ap * s
            kept_ml[i1] += 0.5 * d_ml
            kept_ap[i1] += 0.5 * d_ap
        sum_ml = sum_ap = 0.0
        for i in range(len(times)):
            sum_ml += kept_ml[i]
            sum_ap += kept_ap[i]
            ml[i] += sum_ml
            ap[i] += sum_ap
        k_ap = p.ap_kpa_per_kg
        left, right, perineal = ch.seat_left, ch.seat_right, ch.perineal
        for i, (x, y) in enumerate(zip(ml, ap)):
            left[i] += x - y
            right[i] -= x + y
            perineal[i] += k_ap * y
        self._heart(times, ch)

    def _heart(self, times, ch) -> None:
        # BCG: I (dip) 0.18 s, J (peak) 0.25 s, K (dip) 0.33 s after the R wave; pulse at ~0.2 s
        waves = ((0.18, 0.03, -0.4), (0.25, 0.035, 1.0), (0.33, 0.04, -0.6))
        pulse = self.person.pulse_kpa
        for beat in self.beats:
            i0 = bisect.bisect_left(times, beat + 0.08)
            i1 = bisect.bisect_left(times, beat + 0.5)
            for i in range(i0, i1):
                u = times[i] - beat
                bcg = 0.0
                for at, width, amp in waves:
                    z = (u - at) / width
                    bcg += amp * math.exp(-0.5 * z * z)
                ch.seat_left[i] += self.bcg_left * bcg
                ch.seat_right[i] += self.bcg_right * bcg
                z = (u - 0.22) / 0.06
                ch.perineal[i] += pulse * math.exp(-0.5 * z * z)

    def drift(self, times):
        """Cushion drift at each sample, kPa before gain (warm-up + leak + random walk)."""
        p = self.person
        out = array("d", bytes(8 * len(times)))
        _interp(self.walk, 1.0, times, out)
        w0 = math.exp(-p.warm_phase_s / p.warm_tau_s)
        for i, t in enumerate(times):
            warm = p.warm_kpa * (w0 - w0 * math.exp(-t / p.warm_tau_s))
            out[i] += warm - p.leak_kpa_per_s * t
        return out
