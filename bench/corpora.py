"""The benchmark's two sources of labelled recordings, in one shape.

- `own`: the project's body model (`hw_sim.corpus`), written by the analyzer's authors.
- `oracle`: an independent model of a person on the cushion (`bench.oracle`), written
  from the brochures and published physiology by someone who had not read `session/`.

Both give `Recording`s: rows as the device records them, the labels (what the body
really did) and the conditions the detectability rule needs (noise, breathing, rate).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

CORPORA = ("own", "oracle")


@dataclass(frozen=True)
class Label:
    kind: str                  # contraction, bear_down, cough, glute, posture, breath_hold, stand_up, sit_down
    start_s: float
    end_s: float
    size_kpa: float            # signed perineal change at the sensor: a lift < 0, a push > 0
    details: dict = field(default_factory=dict, compare=False)


@dataclass
class Recording:
    corpus: str
    scenario: str
    seed: int
    rows: list
    labels: list[Label]
    rate_hz: float
    gain: float
    noise_kpa: float           # sd of the white sensor noise, after the gain
    breath_kpa: float          # peak-to-peak resting breath as the cushion shows it, after the gain
                               # (the oracle's breath_kpa_at_rest: its breath_kpa is a relaxed floor's)
    breath_bpm: float
    asked_s: float                                                  # the duration it was made for ...
    conditions: dict = field(default_factory=dict, compare=False)   # ... and the conditions, drawn ones too

    @property
    def duration_s(self) -> float:
        return self.rows[-1][0] - self.rows[0][0]

    @property
    def name(self) -> str:
        return f"{self.corpus}/{self.scenario}/{self.seed}"


def _own(seed: int, scenario: str, duration_s: float, **conditions) -> Recording:
    from hw_sim.corpus import make_case
    case = make_case(seed, duration_s, scenario=scenario, **conditions)
    c = case.conditions
    labels = []
    for e in case.truth:
        if e.kind == "contraction":
            size = -e.level * c.strength_kpa
        elif e.kind in ("bear_down", "cough"):
            size = e.level * c.gain
        else:
            size = 0.0
        details = dict(e.details)
        if e.kind == "breath_hold":
            details["breath_period_s"] = 60.0 / c.breath_bpm
        labels.append(Label(e.kind, e.start_s, e.end_s, size, details))
    return Recording("own", scenario, seed, case.rows, labels, c.rate_hz, c.gain, c.noise_kpa,
                     c.breath_kpa, c.breath_bpm, duration_s, conditions)


def _oracle(seed: int, scenario: str, duration_s: float, **conditions) -> Recording:
    from bench.oracle import make_recording
    rng = random.Random(f"conditions/{scenario}/{seed}")
    if "gain" not in conditions:                  # the oracle's own default is 1: draw it as `own` does
        conditions["gain"] = math.exp(rng.uniform(math.log(0.3), math.log(3.0)))
    if scenario == "breath_holds" and "strength_kpa" not in conditions:   # weak floors, as `own` draws them
        breath = conditions.setdefault("breath_kpa", math.exp(rng.uniform(math.log(0.005), math.log(0.03))))
        conditions["strength_kpa"] = breath * rng.uniform(2.0, 8.0)
    rec = make_recording(seed, scenario=scenario, duration_s=duration_s, **conditions)
    info = rec.info
    labels = [Label(t.kind, t.start_s, t.end_s, t.size, dict(t.details)) for t in rec.truth]
    return Recording("oracle", scenario, seed, rec.rows, labels, info["rate_hz"], info["gain"],
                     info["noise_kpa"], info["breath_kpa_at_rest"], info["breath_bpm"], duration_s, conditions)


def without_breathing(recording: Recording) -> Recording:
    """The same recording made again with the breaths left out: the same body, script,
    wander, pulse, drift and noise (what else moves the level at the breathing's pace)."""
    return made_again(recording, breathing=False)


def made_again(recording: Recording, *, breathing: bool = True, noise: bool = True) -> Recording:
    """The same recording made again, with the breaths (`breathing`) or the sensor's white
    noise (`noise`) left out and everything else as it was."""
    conditions = dict(recording.conditions)
    if not breathing:
        conditions.update({"breathing": False} if recording.corpus == "own" else {"breath_kpa": 0.0})
    if not noise:
        conditions.update({"sensor_noise": False} if recording.corpus == "own" else {"noise_kpa": 0.0})
    return make(recording.corpus, recording.seed, recording.scenario, recording.asked_s, **conditions)


def oracle_available() -> bool:
    try:
        import bench.oracle  # noqa: F401
    except ImportError:
        return False
    return True


def make(corpus: str, seed: int, scenario: str, duration_s: float = 300.0, **conditions) -> Recording:
    """One recording of `corpus`; `conditions` fix what is otherwise drawn (gain, rate_hz, ...)."""
    return {"own": _own, "oracle": _oracle}[corpus](seed, scenario, duration_s, **conditions)
