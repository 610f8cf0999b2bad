"""Simulated people who follow the coach's cues, each with their own body and habits.

A person hears a cue (`hear(start_s, cue)`: the clock time the cue began, and its id)
and reacts after their reaction time: lifts the floor to the level the screen asks for
(`sees_target()`, as a share of their own maximal effort), lets go on "relax", flicks,
braces and coughs -- and has habits: pushing instead of lifting once tired, holding
the breath while holding, squeezing the buttocks, not letting go fully. Where the cue
comes from is not their business: on the simulated bench a `BuzzerListener` hears it
from the buzzer pin and `sees_target` reads the emulated screen; the coaching harness
hands both over directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Callable

from hw_sim.body import Body, BodyParams
from session import cues

PACED_INHALE_S = (1.0, 6.0)     # a breath half a person stretches or shortens to a pace, at most
PACED_EXHALE_S = (1.5, 10.0)
GENTLE_PCT = 30.0            # "a gentle lift on the exhale", when the screen shows no target band
LOOK_AGAIN_S = 0.1           # a person who heard a lift and sees no band yet looks again this often ...
LOOKS = 10                   # ... this many times (the frame may come after its beep), then goes by the cue


@dataclass(frozen=True)
class Persona:
    name: str
    about: str
    body: BodyParams = field(default_factory=BodyParams)
    reaction_s: float = 0.5
    effort: float = 1.0                    # share of the body's maximal drop on a "maximal" cue
    pushes_after_lifts: int | None = None  # in a series, every lift cue after this many is a push
    holds_breath: bool = False
    squeezes_glutes: bool = False          # squeezes the buttocks with every lift
    gain_per_week: float = 0.0             # training days make the floor this much stronger a week
                                           # (maximal drop, compounding; and it tires less), up to a
                                           # trained floor's (`strong`)


PERSONAS = {p.name: p for p in (
    Persona("strong", "a trained floor: strong, quick, lets go fully",
            BodyParams(max_drop_kpa=1.8, fatigue_tau_s=60.0, fatigue_floor=0.85), reaction_s=0.35),
    Persona("weak_postpartum", "weeks after giving birth: a weak floor that tires fast, but lifts",
            BodyParams(max_drop_kpa=0.45, fatigue_tau_s=12.0, fatigue_floor=0.6, lift_tau_s=0.5),
            reaction_s=0.6, effort=0.9),
    Persona("bears_down_tired", "lifts at first, then pushes instead of lifting once tired",
            BodyParams(max_drop_kpa=1.0, fatigue_tau_s=20.0), reaction_s=0.5,
            pushes_after_lifts=2),
    Persona("breath_holder", "holds the breath during every hold",
            BodyParams(max_drop_kpa=1.1), reaction_s=0.5, holds_breath=True),
    Persona("glute_squeezer", "squeezes the buttocks along with the floor, until told not to",
            BodyParams(max_drop_kpa=0.9), reaction_s=0.5, squeezes_glutes=True),
    Persona("over_tense", "an over-active floor: high resting tone, cannot let go",
            BodyParams(max_drop_kpa=0.8, release_tau_s=2.5, residual=0.6, tone=0.3, let_go_share=0.5,
                       let_go_s=3.0, creep_s=4.0), reaction_s=0.5),
    Persona("improving", "starts weak (weeks after giving birth) and grows stronger with training",
            BodyParams(max_drop_kpa=0.45, fatigue_tau_s=12.0, fatigue_floor=0.6, lift_tau_s=0.5),
            reaction_s=0.6, gain_per_week=0.12),
    Persona("prostate", "a man after prostate surgery: moderate strength, slower to react",
            BodyParams(max_drop_kpa=0.7, rest_kpa=3.0, mass_kg=85.0, fatigue_tau_s=18.0),
            reaction_s=0.7, effort=0.85),
)}



# the cues that ask to let go of tension (breathing in or a break do not)
LET_GO_CUES = frozenset({cues.RELAX, cues.RELAX_FIRST, cues.BREATHE_OUT_LONG, cues.WARN_LET_GO})


class SimulatedPerson:
    """Drives `body` (whose time is the clock's) from the cues heard and the target seen."""

    def __init__(self, persona: Persona, body: Body, seed: int = 0,
                 sees_target: Callable[[], float | None] = lambda: None) -> None:
        self.persona = persona
        self.body = body
        self.sees_target = sees_target
        self.push_times_s: list[float] = []     # clock seconds at which each push began
        self._lifts_this_series = 0
        self.told_glutes = False
        self._rng = random.Random(seed ^ 0xFACE)
        self._inhale_cued_s: float | None = None   # when the last "adem in" / "adem uit" were heard ...
        self._exhale_cued_s: float | None = None
        self._exhale_long = False
        self._inhale_s: float | None = None        # ... and how long each half lasted then
        self._exhale_s: float | None = None
        self._lift_cues = 0                        # the lift cues heard so far ...
        self._let_go_after = 0                     # ... and how many of them a let-go cue came after

    def train(self, days: int) -> None:
        """`days` of training have passed: a persona that improves is stronger and tires
        less (`gain_per_week`), never beyond a trained floor."""
        gain = self.persona.gain_per_week
        if not gain:
            return
        p, top = self.body.params, PERSONAS["strong"].body
        grow = (1.0 + gain) ** (days / 7.0)
        self.body.params = replace(
            p, max_drop_kpa=min(top.max_drop_kpa, p.max_drop_kpa * grow),
            fatigue_tau_s=min(top.fatigue_tau_s, p.fatigue_tau_s * grow),
            fatigue_floor=min(top.fatigue_floor, p.fatigue_floor + (grow - 1.0) * (1.0 - p.fatigue_floor)))

    def hear(self, start_s: float, cue: str) -> None:
        """React to `cue`, which began at clock time `start_s`."""
        p = self.persona
        body = self.body
        at = start_s + p.reaction_s * self._rng.uniform(0.8, 1.25)
        self._pace(at, cue)
        if cue in cues.ASK_TO_LIFT:
            if cue == cues.EXHALE_LIFT:
                self._lifts_this_series += 1
                if p.pushes_after_lifts is not None and self._lifts_this_series > p.pushes_after_lifts:
                    self.push_times_s.append(at)
                    body.bear_down(at, duration_s=1.5, rise_kpa=1.2)
                    return
            self._lift_cues += 1
            lifting = self._lift_cues
            body.at(at, lambda: self._lift(cue, at, lifting))
            if p.squeezes_glutes and not self.told_glutes and cue != cues.CALIBRATE_MAX:
                body.glute(at, hold_s=3.0, unload_kg=3.0, drop_kpa=0.1)
            if p.holds_breath and cue != cues.CALIBRATE_MAX:
                body.at(at + 1.0, lambda: setattr(body, "breathing", False))
        elif cue == cues.FLICK:
            body.aim(at, p.effort)
            body.aim(at + 0.45, 0.0)
        elif cue == cues.WARN_GLUTES:
            self.told_glutes = True                # heard it: floor only from now on
        elif cue == cues.WARN_KEEP_BREATHING:
            body.at(at, lambda: setattr(body, "breathing", True))
        elif cue == cues.COUGH_NOW:
            body.cough(at + 0.1, peak_kpa=3.5)
        elif cue in cues.ASK_TO_LET_GO:
            self._let_go_after = self._lift_cues
            body.aim(at, 0.0)
            if cue in LET_GO_CUES:                 # told to let go: an over-tense floor tries
                body.let_go(at)
            body.at(at, lambda: setattr(body, "breathing", True))
            if cue == cues.SERIES_REST:
                self._lifts_this_series = 0

    def stand_up(self, t_s: float) -> None:
        """Get up at `t_s` (the person's own doing, no cue): a lift held is let go as the weight
        comes off the seat, and one cued but not yet begun is not begun -- nobody walks away
        squeezing. (Kept up through the 15 s away, a calibration's maximal lift tired the floor
        for the rest of the session: the body's fatigue recovers only while a lift fades.)"""
        self._let_go_after = self._lift_cues
        self.body.aim(t_s, 0.0)
        self.body.at(t_s, lambda: setattr(self.body, "breathing", True))

    def _pace(self, at: float, cue: str) -> None:
        """Breathe as told: in on "adem in", out on "adem uit" (and lift) or "adem lang uit";
        each half as long as the cues spaced it last time (a paced breathing step), else at
        the body's own pace."""
        if cue == cues.INHALE:
            if self._exhale_cued_s is not None and self._exhale_long:
                self._exhale_s = min(PACED_EXHALE_S[1], max(PACED_EXHALE_S[0], at - self._exhale_cued_s))
            self._inhale_cued_s = at
            self.body.breathe_in(at, self._inhale_s)
        elif cue in (cues.EXHALE_LIFT, cues.BREATHE_OUT_LONG):
            self._exhale_long = cue == cues.BREATHE_OUT_LONG
            if self._inhale_cued_s is not None:
                self._inhale_s = min(PACED_INHALE_S[1], max(PACED_INHALE_S[0], at - self._inhale_cued_s))
            self._exhale_cued_s = at
            self.body.breathe_out(at, self._exhale_s if self._exhale_long else None)

    def _lift(self, cue: str, at: float, lifting: int, looks: int = LOOKS) -> None:
        """Lift to what the screen shows now (the target band), or as the cue implies; with no
        band in sight, look again a little later and follow it once it shows -- unless another
        cue came in between (`lifting`, this lift's number, is no longer the latest or was let go)."""
        if lifting != self._lift_cues or self._let_go_after >= lifting:
            return
        target_pct = self.sees_target()
        if target_pct is None:
            target_pct = GENTLE_PCT if cue == cues.EXHALE_LIFT else 100.0
            if looks > 0:
                again = at + LOOK_AGAIN_S
                self.body.at(again, lambda: self._lift(cue, again, lifting, looks - 1))
        self.body.voluntary_target = self.persona.effort * target_pct / 100.0
