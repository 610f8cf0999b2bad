"""Coaching without the chips: the body, the analysis, the coach and the person, sample by
sample in session time -- the logic of a guided session and nothing else, many times
faster than the emulated bench. For tests of how the coaching treats people (personas,
compensation, the knack, floors); what the bench adds (the bus, the screen's timing,
faults) is tested there.

The person hears every cue that has a buzzer pattern the moment the coach gives it,
and sees the target the screen would show (the band of the session's lift view).
The samples carry the sensors' noise, at the sampling rate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from device.buzz import PATTERNS
from device.screens import LiftView
from device.ui import SessionUi
from hw_sim.body import Body
from hw_sim.persona import Persona, SimulatedPerson
from hw_sim.sensors import standard_normals
from session.analyzer import Analyzer
from session.assessment import Assessment
from session.coach import Coach, CoachSummary, Cue, RepScore
from session.levels import BAND_PCT
from session.pairs import SamplePairs
from session.programme import SIM_GIVE_UP_S, Programme
from session.seat import SeatTracker

NOISE_KPA = 0.002            # the pressure sensor and the ADC, about as the bench has them
NOISE_KG = 0.03


@dataclass
class CoachedSession:
    """What came of it: the coach's summary and scores, every cue, when the person pushed,
    how long it took."""

    coaching: CoachSummary
    reps: list[RepScore]
    cues: list[Cue] = field(default_factory=list)
    pushes_s: list[float] = field(default_factory=list)
    duration_s: float = 0.0
    cue_levels_pct: list[float] = field(default_factory=list)   # the live level when each cue came
    assessment: Assessment | None = None                          # an assessment's figures

    def times_of(self, cue: str) -> list[float]:
        return [c.t for c in self.cues if c.cue == cue]


def coach_session(programme: Programme, persona: Persona, *, seed: int = 0, rate_hz: float = 250.0,
                  max_drop_kpa: float | None = None, last_max_kpa: float | None = None, limit_s: float = SIM_GIVE_UP_S,
                  each_tick: Callable[[Coach, float], None] | None = None) -> CoachedSession:
    """Coach `persona` through `programme`; `max_drop_kpa` known skips the calibration (else
    `last_max_kpa`, an earlier day's, is its screen's scale, as the device's store gives it);
    `each_tick(coach, t)` after every update: a test's hand on the coach (a pause, say). The
    samples are analysed as the device analyses them (`session.pairs`)."""
    body = Body(persona.body, seed=seed)
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    coach = Coach(programme, analyzer, max_drop_kpa=max_drop_kpa, last_max_kpa=last_max_kpa)
    ui = SessionUi(coach, None, "nl", lambda *logged: None)
    now = [0.0]

    def sees_target() -> float | None:
        view = ui.view(now[0])
        if isinstance(view, LiftView) and view.target_lo_pct is not None:
            return view.target_lo_pct + BAND_PCT
        return None
    person = SimulatedPerson(persona, body, seed=seed, sees_target=sees_target)
    draws = standard_normals(random.Random(seed ^ 0x5EED))    # rng.gauss()'s draws, faster
    noises = zip(draws, draws, draws)    # each sample's: left, right, then the pressure's, as drawn
    noise_kg, noise_kpa = NOISE_KG, NOISE_KPA
    sample, seat_step, analyzer_step, update = body.sample, seat.step, analyzer.step, coach.update
    pairs = SamplePairs(rate_hz)             # analysed as the device does
    add = pairs.add
    period_s = 1.0 / rate_hz
    cues: list[Cue] = []
    levels: list[float] = []
    n = 0
    while not coach.done and now[0] < limit_s:
        t = now[0] = n * period_s
        kpa, left_kg, right_kg = sample(t)
        left_noise, right_noise, kpa_noise = next(noises)
        n += 1
        if not add(t, kpa + kpa_noise * noise_kpa, left_kg + left_noise * noise_kg, right_kg + right_noise * noise_kg):
            continue
        t = pairs.t
        seat_step(t, pairs.left_kg, pairs.right_kg)
        analyzer_step(t, pairs.kpa)
        update(t)
        if each_tick is not None:
            each_tick(coach, t)
        if coach.outbox:
            for cue in coach.outbox:
                cues.append(cue)
                levels.append(coach.level_pct)
                ui.on_cue(cue)
                if cue.cue in PATTERNS:
                    person.hear(t, cue.cue)
    return CoachedSession(coach.summary(), coach.reps, cues, person.push_times_s, now[0], levels,
                          coach.assessment())
