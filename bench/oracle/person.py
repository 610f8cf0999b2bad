"""The person on the cushion: every physiological and physical constant of one recording.

All parameters are drawn from the seed in a fixed order, whether or not the caller overrides them,
so overriding one (or changing the gain) leaves every other draw, and the whole body, unchanged.
Perineal quantities here are BEFORE the cushion gain; seat quantities are in kg (no gain).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .shapes import log_uniform

RATES_HZ = (50.0, 100.0, 128.0, 200.0, 250.0)


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream for one part of the model."""
    return random.Random(f"bench.oracle:{seed}:{name}")


@dataclass(frozen=True)
class Person:
    # sampling and cushion
    rate_hz: float
    rest_kpa: float            # perineal level with a relaxed floor, seated quietly
    unloaded_kpa: float        # the cushion's own pressure with nobody on it
    noise_kpa: float           # white sensor noise sd
    pneumatic_tau_s: float     # air cushion + tube low-pass
    # breathing
    breath_bpm: float
    breath_kpa: float          # peak-to-peak perineal swing of a mean tidal breath, relaxed floor
    ti_frac: float             # inspiration time / breath period
    period_cv: float           # breath-to-breath variability of the period
    depth_cv: float            # breath-to-breath variability of the tidal depth
    sighs_per_h: float
    breath_seat_kg: float      # ischial unloading per side per tidal breath (trunk mass forward)
    # pelvic floor
    strength_kpa: float        # perineal drop of a maximal lift from a relaxed floor
    rise_s: float              # this person's typical time to reach a held level
    release_s: float           # typical relaxation time
    tremor_frac: float         # physiological tremor sd, fraction of the held level
    unsteady_frac: float       # slow force unsteadiness sd, fraction of the held level
    fatigability: float        # 1 = average
    coact_kg: float            # ischial unloading per side, abdominal co-activation, maximal lift
    overtense: bool            # raised resting tone (overactive floor)
    tone_frac: float           # resting lift of an over-tense floor, fraction of strength
    tense_coupling: float      # how much of the breathing swing an over-tense floor still shows
    # seat and posture
    seat_left_kg: float
    seat_right_kg: float
    seat_noise_kg: float
    seat_offset_left_kg: float
    seat_offset_right_kg: float
    seat_creep_kg: float       # load cell creep over the recording
    ap_kpa_per_kg: float       # perineal rise per kg of forward unloading (per side)
    sway_ml_kg: float          # sd of slow left-right load wander
    sway_ap_kg: float          # sd of slow fore-aft load wander (per side)
    sway_tau_s: float
    fidgets_per_min: float
    # heart
    heart_bpm: float
    bcg_kg: float              # ballistocardiogram J-wave amplitude per side
    pulse_kpa: float           # perineal arterial pulse
    rsa_frac: float            # respiratory sinus arrhythmia
    # cushion drift
    warm_kpa: float
    warm_tau_s: float
    warm_phase_s: float
    leak_kpa_per_s: float
    walk_kpa_per_sqrt_s: float
    # bookkeeping
    body_mass_kg: float


def draw_person(seed: int, scenario: str, *, rate_hz=None, rest_kpa=None, noise_kpa=None,
                breath_bpm=None, breath_kpa=None, strength_kpa=None) -> Person:
    rng = stream(seed, "person")
    d = {}
    d["rate_hz"] = rng.choice(RATES_HZ)
    d["rest_kpa"] = rng.uniform(1.0, 5.0)
    d["unloaded_kpa"] = rng.uniform(0.05, 0.4)
    d["noise_kpa"] = log_uniform(rng, 0.002, 0.01)
    d["pneumatic_tau_s"] = rng.uniform(0.005, 0.025)
    d["breath_bpm"] = rng.triangular(6.0, 20.0, 13.0)
    d["breath_kpa"] = log_uniform(rng, 0.005, 0.03)
    d["ti_frac"] = rng.uniform(0.36, 0.45)
    d["period_cv"] = rng.uniform(0.08, 0.22)
    d["depth_cv"] = rng.uniform(0.12, 0.30)
    d["sighs_per_h"] = rng.uniform(6.0, 18.0)
    d["breath_seat_kg"] = rng.uniform(0.01, 0.06)
    d["strength_kpa"] = log_uniform(rng, 0.03, 2.0)
    d["rise_s"] = rng.uniform(0.25, 0.9)
    d["release_s"] = rng.uniform(0.35, 1.2)
    d["tremor_frac"] = rng.uniform(0.006, 0.02)
    d["unsteady_frac"] = rng.uniform(0.01, 0.035)
    d["fatigability"] = rng.uniform(0.6, 1.6)
    d["coact_kg"] = rng.uniform(0.0, 0.15)
    overtense_draw = rng.random()
    d["tone_frac"] = rng.uniform(0.15, 0.4)
    d["tense_coupling"] = rng.uniform(0.2, 0.35)
    mass = rng.uniform(50.0, 110.0)
    seat_total = mass * rng.uniform(0.45, 0.65)
    left_share = rng.uniform(0.46, 0.54)
    d["seat_left_kg"] = seat_total * left_share
    d["seat_right_kg"] = seat_total * (1.0 - left_share)
    d["seat_noise_kg"] = rng.uniform(0.01, 0.04)
    d["seat_offset_left_kg"] = rng.uniform(-0.3, 0.3)
    d["seat_offset_right_kg"] = rng.uniform(-0.3, 0.3)
    d["seat_creep_kg"] = rng.uniform(-0.1, 0.1)
    d["ap_kpa_per_kg"] = rng.uniform(0.006, 0.02)   # times rest_kpa, below
    d["sway_ml_kg"] = rng.uniform(0.1, 0.5)
    d["sway_ap_kg"] = rng.uniform(0.03, 0.15)
    d["sway_tau_s"] = rng.uniform(5.0, 20.0)
    d["fidgets_per_min"] = rng.uniform(0.4, 2.0)
    d["heart_bpm"] = rng.uniform(55.0, 90.0)
    d["bcg_kg"] = rng.uniform(0.03, 0.12)
    d["pulse_kpa"] = rng.uniform(0.0005, 0.002)
    d["rsa_frac"] = rng.uniform(0.02, 0.08)
    d["warm_kpa"] = rng.uniform(0.0, 0.02)           # times rest_kpa, below
    d["warm_tau_s"] = rng.uniform(60.0, 400.0)
    d["warm_phase_s"] = rng.uniform(0.0, 600.0)      # how long they had been sitting already
    d["leak_kpa_per_s"] = rng.uniform(0.0, 0.01) / 300.0   # times rest_kpa, below
    d["walk_kpa_per_sqrt_s"] = rng.uniform(0.0002, 0.0008)
    d["body_mass_kg"] = mass

    for key, value in (("rate_hz", rate_hz), ("rest_kpa", rest_kpa), ("noise_kpa", noise_kpa),
                       ("breath_bpm", breath_bpm), ("breath_kpa", breath_kpa),
                       ("strength_kpa", strength_kpa)):
        if value is not None:
            d[key] = float(value)
    rest = d["rest_kpa"]
    d["unloaded_kpa"] = min(d["unloaded_kpa"], 0.5 * rest)
    d["ap_kpa_per_kg"] *= rest
    d["warm_kpa"] *= rest
    d["leak_kpa_per_s"] *= rest
    if scenario == "overtense":
        d["overtense"] = True
    elif scenario == "mixed":
        d["overtense"] = overtense_draw < 0.3
    else:
        d["overtense"] = False
    return Person(**d)
