"""Labelled synthetic recordings for the analysis benchmark and its tests.

Each case draws the conditions of one recording -- the person (floor strength,
breathing rate and depth, wander, drift), the cushion (gain: how many kPa a movement of
the floor makes; rest level), the sensor noise and the sampling rate -- then a script
after at least 8 s of quiet sitting. The body model records what it really did; that is
the label. The ranges are those the analysis issue sets: lifts from 0.03 kPa to 2 kPa,
noise 0.002-0.01 kPa, breathing 0.005-0.03 kPa (and deeper, up to 0.2 kPa, in the
`mixed` scenario), cushion gains 0.3-3x, rest levels 1-5 kPa, flicks of 0.25-0.8 s.

Every drawn value can be fixed by the caller (`make_case(seed, gain=2.0, ...)`) so the
benchmark can sweep one condition at a time. Sizes in `Case.conditions` are as the
sensor sees them, after the gain.

Scenarios:
- `lifts`: holds of 2-12 s, flicks, endurance holds; 20-100 % of the floor's strength;
- `pushes`: bear-downs from 0.1 kPa, some lifts, coughs;
- `breath_holds`: 5-14 s holds, in about half of them the breath held throughout, by weak
  floors (strength 2-8 breath swings, so the breathing shows through the hold);
- `distractors`: buttock squeezes, posture shifts (leaning forwards or back moves the
  perineal level by 5-15 % of the seated reading, sideways by up to 10 %),
  coughs, standing up, and lifts;
- `quiet`: breathing only (false alarms per hour);
- `mixed`: all of it, with breathing up to 0.2 kPa.

Through all of them, quiet ones too, the person fidgets now and then (0.2-1.5 times a minute):
0.2-0.9 kg of weight shifted across the seat for 1-6 s, the perineal level moved by up to
0.3 breath swings -- labelled `fidget`, nothing the analysis reports.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from hw_sim.body import Body, BodyParams, TruthEvent
from hw_sim.synth import synthesize

RATES_HZ = (50, 100, 128, 200, 250)
SCENARIOS = ("lifts", "pushes", "breath_holds", "distractors", "quiet", "mixed")


@dataclass(frozen=True)
class Conditions:
    """One recording's person, cushion and sampling. kPa sizes are after the gain."""

    rate_hz: float
    gain: float
    rest_kpa: float
    noise_kpa: float           # sd of the white sensor noise
    breath_bpm: float
    breath_kpa: float          # peak-to-peak swing of a resting breath
    strength_kpa: float        # drop of a maximal lift


@dataclass
class Case:
    seed: int
    scenario: str
    duration_s: float
    conditions: Conditions
    params: BodyParams         # the body before the gain
    rows: list[tuple[float, float, float, float]]
    truth: list[TruthEvent]

    @property
    def rate_hz(self) -> float:
        return self.conditions.rate_hz


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _person(rng: random.Random, scenario: str, strength_kpa, breath_kpa, breath_bpm,
            steadiness: random.Random) -> BodyParams:
    deep = scenario == "mixed"
    strength = strength_kpa or _log_uniform(rng, 0.03, 2.0)
    breath = breath_kpa or (_log_uniform(rng, 0.005, 0.2) if deep else _log_uniform(rng, 0.005, 0.03))
    if scenario == "breath_holds" and not strength_kpa:     # weak floors: breathing shows in the hold
        strength = breath * rng.uniform(2.0, 8.0)
    return BodyParams(
        rest_kpa=2.5,                            # the gain and rest level are the cushion's (synth)
        mass_kg=rng.uniform(50, 110),
        breath_rate_bpm=breath_bpm or rng.uniform(6, 20),
        breath_kpa=breath,
        breath_variability=rng.uniform(0.05, 0.15),
        sigh_share=rng.choice((0.0, 0.05, 0.1)),
        drift_kpa_per_min=rng.uniform(-0.05, 0.02),
        wander_kpa=breath * rng.uniform(0.1, 0.5),
        micro_kpa=0.0,
        max_drop_kpa=strength,
        fatigue_tau_s=rng.uniform(10, 40),
        fatigue_floor=rng.uniform(0.55, 0.85),
        tremor_kpa=strength * rng.uniform(0.005, 0.02),
        unsteady_share=steadiness.uniform(0.01, 0.04),
    )


class _Script:
    """Lays actions on the body one after another, the brochures' rest between them."""

    def __init__(self, body: Body, rng: random.Random, duration_s: float) -> None:
        self.body, self.rng, self.end_s = body, rng, duration_s - 3.0
        self.t = rng.uniform(9.0, 12.0)

    def fits(self, length_s: float) -> bool:
        return self.t + length_s <= self.end_s

    def lift(self, level_lo: float = 0.2, *, breath_held: bool = False) -> bool:
        rng = self.rng
        rise_s = rng.uniform(0.3, 1.0)
        hold_s = rng.uniform(2.0, 12.0)
        release_s = rng.uniform(0.4, 1.2)
        if not self.fits(rise_s + hold_s + release_s):
            return False
        residual = rng.uniform(0.2, 0.5) if rng.random() < 0.15 else 0.0
        self.body.lift(self.t, level=rng.uniform(level_lo, 1.0), rise_s=rise_s, hold_s=hold_s,
                       release_s=release_s, residual=residual).details.update(style="hold")
        if breath_held:
            self.body.hold_breath(self.t - rng.uniform(0.0, 0.5), rise_s + hold_s + release_s)
        self.t += rise_s + hold_s + release_s + (12.0 if residual else max(4.0, hold_s * rng.uniform(1, 2)))
        return True

    def flicks(self) -> bool:
        rng = self.rng
        n = rng.randint(3, 8)
        if not self.fits(n * 3.0):
            return False
        for _ in range(n):
            total_s = rng.uniform(0.25, 0.8)
            rise_s = total_s * rng.uniform(0.3, 0.45)
            release_s = total_s * rng.uniform(0.35, 0.5)
            self.body.lift(self.t, level=rng.uniform(0.5, 1.0), rise_s=rise_s,
                           hold_s=max(0.0, total_s - rise_s - release_s),
                           release_s=release_s).details.update(style="flick")
            self.t += total_s + rng.uniform(1.2, 2.5)
        self.t += rng.uniform(4, 10)
        return True

    def endurance(self) -> bool:
        rng = self.rng
        hold_s = rng.uniform(20, 60)
        if not self.fits(hold_s + 3):
            return False
        self.body.lift(self.t, level=rng.uniform(0.4, 0.7), rise_s=rng.uniform(0.5, 1.0), hold_s=hold_s,
                       release_s=rng.uniform(0.5, 1.5)).details.update(style="endurance")
        self.t += hold_s + 3 + rng.uniform(15, 25)
        return True

    def push(self, lo_kpa: float, hi_kpa: float) -> bool:
        rng = self.rng
        length_s = rng.uniform(0.6, 4.0)
        if not self.fits(length_s):
            return False
        self.body.bear_down(self.t, duration_s=length_s, rise_kpa=_log_uniform(rng, lo_kpa, hi_kpa),
                            onset_s=min(length_s / 3, rng.uniform(0.15, 0.5)))
        self.t += length_s + rng.uniform(4, 12)
        return True

    def cough(self, scale_kpa: float) -> bool:
        if not self.fits(1.0):
            return False
        self.body.cough(self.t, peak_kpa=scale_kpa * self.rng.uniform(1.5, 4.0),
                        duration_s=self.rng.uniform(0.15, 0.35))
        self.t += self.rng.uniform(3, 10)
        return True

    def glute(self, drop_kpa: float) -> bool:
        rng = self.rng
        hold_s = rng.uniform(1.5, 5.0)
        if not self.fits(hold_s + 1):
            return False
        self.body.glute(self.t, hold_s=hold_s, unload_kg=rng.uniform(1.5, 5.0),
                        drop_kpa=drop_kpa * rng.uniform(0.3, 1.5), onset_s=rng.uniform(0.2, 0.5))
        self.t += hold_s + rng.uniform(5, 12)
        return True

    def posture(self, seated_kpa: float) -> bool:
        """Lean sideways, forwards or back: the perineal pressure moves by a share of the
        seated reading (`seated_kpa`: the resting level over the sensor's zero, in the body's
        kPa), not by the floor's strength -- a lean back never takes the reading to zero.
        (Against what sitting adds over the cushion's unloaded reading, a lean back may take
        more than half of it on a cushion that reads high with nobody on it: generous.)"""
        rng = self.rng
        hold_s = rng.uniform(3.0, 15.0) if rng.random() < 0.7 else math.inf
        if not self.fits(min(hold_s, 5.0) + 2):
            return False
        way = rng.choice(("side", "forward", "back"))
        onset_s = rng.uniform(0.5, 1.2)
        if way == "side":
            self.body.shift(self.t, hold_s, lateral_kg=rng.choice((-1, 1)) * rng.uniform(3, 8),
                            perineal_kpa=seated_kpa * rng.uniform(-0.1, 0.1), onset_s=onset_s)
        elif way == "forward":
            self.body.shift(self.t, hold_s, forward_kg=rng.uniform(3, 6),
                            perineal_kpa=seated_kpa * rng.uniform(0.05, 0.15), onset_s=onset_s)
        else:
            self.body.shift(self.t, hold_s, forward_kg=-rng.uniform(2, 5),
                            perineal_kpa=-seated_kpa * rng.uniform(0.05, 0.15), onset_s=onset_s)
        self.t += (hold_s + 1.5 if math.isfinite(hold_s) else 2.0) + rng.uniform(5, 12)
        return True

    def stand_up(self) -> bool:
        if not self.fits(30.0):
            return False
        self.body.stand(self.t)
        self.body.sit(self.t + self.rng.uniform(8, 15))
        self.t += 30.0
        return True

    def quiet(self) -> bool:
        self.t = self.end_s
        return False


def _script(script: _Script, scenario: str, params: BodyParams, seated_kpa: float) -> None:
    rng = script.rng
    strength = params.max_drop_kpa
    scale = max(strength, 3.0 * params.breath_kpa)          # distractors as large as the floor's moves
    menu = {
        "lifts": ((script.lift, 5), (script.flicks, 1.5), (script.endurance, 0.7)),
        "pushes": ((lambda: script.push(0.1, 2.0), 5), (script.lift, 2), (lambda: script.cough(scale), 2)),
        "breath_holds": ((lambda: script.lift(0.4, breath_held=rng.random() < 0.5), 1),),
        "distractors": ((script.lift, 3), (lambda: script.glute(0.5 * strength), 2),
                        (lambda: script.posture(seated_kpa), 2), (lambda: script.cough(scale), 2),
                        (lambda: script.push(0.1, 2.0), 1), (script.stand_up, 0.3)),
        "quiet": ((script.quiet, 1),),
        "mixed": ((script.lift, 5), (script.flicks, 1), (script.endurance, 0.5),
                  (lambda: script.lift(0.4, breath_held=True), 0.7), (lambda: script.push(0.1, 3.0), 2),
                  (lambda: script.cough(scale), 2), (lambda: script.glute(0.5 * strength), 1.5),
                  (lambda: script.posture(seated_kpa), 1.5)),
    }[scenario]
    actions, weights = zip(*menu)
    misses = 0
    while misses < 5:
        misses = 0 if rng.choices(actions, weights)[0]() else misses + 1


def _fidgets(body: Body, rng: random.Random, duration_s: float) -> None:
    """Small shifts of weight across the seat, at random through whatever else goes on."""
    gap_s = 60.0 / rng.uniform(0.2, 1.5)
    t = 8.0 + rng.expovariate(1.0 / gap_s)
    while t < duration_s - 8.0:
        hold_s = rng.uniform(1.0, 6.0)
        onset_s = rng.uniform(0.3, 1.0)
        body.fidget(t, rng.choice((-1, 1)) * rng.uniform(0.2, 0.9), hold_s, onset_s=onset_s,
                    perineal_kpa=body.params.breath_kpa * rng.uniform(-0.3, 0.3))
        t += hold_s + 2 * onset_s + rng.expovariate(1.0 / gap_s)


def make_case(seed: int, duration_s: float = 300.0, *, scenario: str = "mixed",
              rate_hz: float | None = None, gain: float | None = None, rest_kpa: float | None = None,
              noise_kpa: float | None = None, breath_bpm: float | None = None,
              breath_kpa: float | None = None, strength_kpa: float | None = None,
              breathing: bool = True, sensor_noise: bool = True) -> Case:
    """Case `seed` of `scenario`: drawn conditions (any of them fixed by the caller; sizes
    before the gain) and a script; deterministic for its arguments. `breathing=False`: the
    same case with the breaths left out, everything else as drawn (what else moves the level);
    `sensor_noise=False`: without the sensor's white noise (its conditions still say it)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: one of {', '.join(SCENARIOS)}")
    rng = random.Random(f"{scenario}/{seed}")
    # drawn apart, so that the rest of the case is what it was before unsteadiness was modelled
    params = _person(rng, scenario, strength_kpa, breath_kpa, breath_bpm,
                     random.Random(f"{scenario}/{seed}/steadiness"))
    rate_hz = rate_hz or rng.choice(RATES_HZ)
    gain = gain or _log_uniform(rng, 0.3, 3.0)
    rest_kpa = rest_kpa or rng.uniform(1.0, 5.0)
    noise_kpa = noise_kpa or _log_uniform(rng, 0.002, 0.01)
    body = Body(params, seed=seed)
    _script(_Script(body, rng, duration_s), scenario, params, seated_kpa=rest_kpa / gain)
    _fidgets(body, rng, duration_s)
    if not breathing:               # after the script: its sizes and the fidgets' follow the breath drawn
        body.params = replace(params, breath_kpa=0.0)
    rows = list(synthesize(body, duration_s, rate_hz, seed=seed, noise_kpa=noise_kpa if sensor_noise else 0.0,
                           gain=gain, rest_kpa=rest_kpa))
    conditions = Conditions(rate_hz, gain, rest_kpa, noise_kpa * gain, params.breath_rate_bpm,
                            body.params.breath_kpa * gain, params.max_drop_kpa * gain)
    return Case(seed, scenario, duration_s, conditions, params, rows, list(body.truth))
