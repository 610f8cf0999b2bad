"""A labelled corpus for the analysis benchmark: varied people doing varied things.

Each case draws a person (rest pressure, floor strength, breathing 8-18 per minute,
noise, cushion drift) and a sampling rate (50-250 Hz), then a script after at least
8 s of quiet sitting: lifts of every strength and length (long holds fatigue, some
relax incompletely, in some the breath is held), runs of quick flicks, bear-downs,
and the distractors a physiotherapist watches for: coughs, buttock squeezes (the
sitting bones unload with a small perineal drop) and posture shifts (leaning sideways,
forwards with a perineal rise, or back with a drop; some for good). The body records
what it really did; that is the label.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from hw_sim.body import Body, BodyParams, TruthEvent
from hw_sim.synth import synthesize

RATES_HZ = (50, 100, 128, 200, 250)


@dataclass
class Case:
    seed: int
    rate_hz: int
    duration_s: float
    params: BodyParams
    rows: list[tuple[float, float, float, float]]
    truth: list[TruthEvent]


def _person(rng: random.Random) -> BodyParams:
    return BodyParams(
        rest_kpa=rng.uniform(1.5, 4.0),
        mass_kg=rng.uniform(50, 110),
        breath_rate_bpm=rng.uniform(8, 18),
        breath_kpa=rng.uniform(0.04, 0.2),
        drift_kpa_per_min=rng.uniform(-0.2, 0.1),
        wander_kpa=rng.uniform(0.005, 0.03),
        micro_kpa=rng.uniform(0.002, 0.02),
        max_drop_kpa=math.exp(rng.uniform(math.log(0.3), math.log(2.0))),
        fatigue_tau_s=rng.uniform(10, 40),
        fatigue_floor=rng.uniform(0.55, 0.85),
        tremor_kpa=rng.uniform(0.003, 0.02),
    )


def _script(body: Body, rng: random.Random, duration_s: float) -> None:
    t = rng.uniform(9.0, 12.0)
    while True:
        kind = rng.choices(("lift", "long", "flicks", "push", "cough", "glute", "posture"),
                           (5, 1.5, 1, 2, 2, 1.5, 1.5))[0]
        if kind == "lift":
            length_s = rng.uniform(0.3, 1.2) + rng.uniform(2, 10) + rng.uniform(0.4, 1.5)
            if t + length_s > duration_s - 3:
                return
            residual = rng.uniform(0.2, 0.5) if rng.random() < 0.2 else 0.0
            rise_s = rng.uniform(0.3, 1.2)
            hold_s = length_s - rise_s - 1.0
            body.lift(t, level=rng.uniform(0.4, 1.0), rise_s=rise_s, hold_s=hold_s,
                      release_s=rng.uniform(0.4, 1.5), residual=residual)
            t += length_s + (12.0 if residual else rng.uniform(4, 16))
        elif kind == "long":
            if t + 45 > duration_s - 3:
                return
            hold_s = rng.uniform(20, 40)
            body.lift(t, level=rng.uniform(0.5, 0.8), rise_s=rng.uniform(0.5, 1.0), hold_s=hold_s,
                      release_s=rng.uniform(0.5, 1.5))
            if rng.random() < 0.5:                     # holds the breath for much of it
                body.hold_breath(t + rng.uniform(1.0, 3.0), rng.uniform(14.0, hold_s - 4.0))
            t += hold_s + 3 + rng.uniform(8, 16)
        elif kind == "flicks":
            n = rng.randint(5, 8)
            if t + n * 3.0 > duration_s - 3:
                return
            for _ in range(n):
                hold_s = rng.uniform(0.2, 0.5)
                body.lift(t, level=rng.uniform(0.7, 1.0), rise_s=0.25, hold_s=hold_s, release_s=0.35)
                t += 0.8 + hold_s + rng.uniform(1.2, 2.0)
            t += rng.uniform(4, 10)
        elif kind == "push":
            length_s = rng.uniform(0.6, 4.0)
            if t + length_s > duration_s - 3:
                return
            body.bear_down(t, duration_s=length_s, rise_kpa=rng.uniform(0.5, 3.0),
                           onset_s=min(length_s / 3, rng.uniform(0.15, 0.5)))
            t += length_s + rng.uniform(4, 12)
        elif kind == "cough":
            body.cough(t, peak_kpa=rng.uniform(1.5, 6.0), duration_s=rng.uniform(0.15, 0.35))
            t += rng.uniform(3, 10)
        elif kind == "glute":
            hold_s = rng.uniform(1.5, 5.0)
            if t + hold_s + 1 > duration_s - 3:
                return
            body.glute(t, hold_s=hold_s, unload_kg=rng.uniform(1.5, 5.0), drop_kpa=rng.uniform(0.05, 0.3),
                       onset_s=rng.uniform(0.2, 0.5))
            t += hold_s + rng.uniform(5, 12)
        else:
            hold_s = rng.uniform(3.0, 15.0) if rng.random() < 0.7 else math.inf
            if t + min(hold_s, 5.0) + 2 > duration_s - 3:
                return
            way = rng.choice(("side", "forward", "back"))
            if way == "side":
                body.shift(t, hold_s, lateral_kg=rng.choice((-1, 1)) * rng.uniform(3, 8),
                           perineal_kpa=rng.uniform(-0.1, 0.1), onset_s=rng.uniform(0.5, 1.2))
            elif way == "forward":
                body.shift(t, hold_s, forward_kg=rng.uniform(3, 6), perineal_kpa=rng.uniform(0.15, 0.4),
                           onset_s=rng.uniform(0.5, 1.2))
            else:
                body.shift(t, hold_s, forward_kg=-rng.uniform(2, 5), perineal_kpa=-rng.uniform(0.1, 0.3),
                           onset_s=rng.uniform(0.5, 1.2))
            t += (hold_s + 1.5 if math.isfinite(hold_s) else 2.0) + rng.uniform(5, 12)


def make_case(seed: int, duration_s: float = 300.0, rate_hz: int | None = None) -> Case:
    """Case `seed`: a random person, script and sampling rate (or the `rate_hz` given)."""
    rng = random.Random(seed)
    params = _person(rng)
    drawn_hz = rng.choice(RATES_HZ)
    rate_hz = rate_hz or drawn_hz
    body = Body(params, seed=seed)
    _script(body, rng, duration_s)
    rows = list(synthesize(body, duration_s, rate_hz, seed=seed,
                           noise_kpa=rng.uniform(0.001, 0.008)))
    return Case(seed, rate_hz, duration_s, params, rows, list(body.truth))
