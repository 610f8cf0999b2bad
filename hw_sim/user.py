"""Somebody using the appliance, for `pftrainer run --sim`: walks up, sits down, presses
OK, follows the cues as a persona, stands up when the summary shows, and comes back for
the next session -- unattended, on the simulator's clock.

`stand_up_s`: in each session, stand up this many seconds in and sit down again
`away_s` later (the appliance pauses and resumes by itself).
"""

from __future__ import annotations

from hw_sim.persona import Persona, SimulatedPerson
from hw_sim.rig import SimRig

ARRIVE_S = 2.0        # from walking up to sitting down
PRESS_S = 3.0         # from sitting down to pressing OK
LEAVE_S = 4.0         # from the summary to standing up


class SimulatedUser:
    def __init__(self, rig: SimRig, persona: Persona, ok_pin: int, *, seed: int = 0,
                 stand_up_s: float | None = None, away_s: float = 15.0, between_s: float = 30.0) -> None:
        self.rig = rig
        self.ok_pin = ok_pin
        self.stand_up_s = stand_up_s
        self.away_s = away_s
        self.between_s = between_s
        self.person = SimulatedPerson(persona, rig.body, seed=seed)
        self.sessions_started = 0
        rig.body.stand(rig.clock.now())           # not on the cushion yet

    def arrive(self, at_s: float) -> None:
        """Walk up at `at_s`: sit down, then press OK to start what the menu shows."""
        self.rig.body.sit(at_s + ARRIVE_S)
        self.rig.pin_factory.press(self.ok_pin, at_s + ARRIVE_S + PRESS_S)

    @property
    def push_times_s(self) -> list[float]:
        return self.person.push_times_s

    @property
    def t0_s(self) -> float:
        return self.person.t0_s

    @t0_s.setter
    def t0_s(self, t0_s: float) -> None:
        """A session began at clock time `t0_s` (the session runner sets this)."""
        self.person.t0_s = t0_s
        self.sessions_started += 1
        if self.stand_up_s is not None:
            body = self.rig.body
            body.stand(t0_s + self.stand_up_s)
            body.sit(t0_s + self.stand_up_s + self.away_s)

    def on_cue(self, t: float, cue: str, params: dict) -> None:
        self.person.on_cue(t, cue, params)
        if cue == "summary":
            now_s = self.person.t0_s + t
            self.rig.body.stand(now_s + LEAVE_S)
            self.arrive(now_s + LEAVE_S + self.between_s)
