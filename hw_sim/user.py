"""Somebody using the appliance, for `pftrainer run --sim`: walks up, sits down, presses
OK, follows the cues as a persona, stands up when the summary shows, and comes back for
the next session -- unattended, on the simulator's clock.

`stand_up_s`: in each session, stand up this many seconds in and sit down again
`away_s` later (the appliance pauses and resumes by itself); a session that is over
by then is left alone. After a session that was stopped early the user also leaves
and comes back.
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
        self._session = 0                           # stand-ups belong to the session they were planned in
        self._coming_back = False
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
        self._session += 1
        if self.stand_up_s is not None:
            session, body = self._session, self.rig.body

            def during_this_session(action):
                return lambda: action(self.rig.clock.now()) if self._session == session else None
            body.at(t0_s + self.stand_up_s, during_this_session(body.stand))
            body.at(t0_s + self.stand_up_s + self.away_s, during_this_session(body.sit))

    def on_cue(self, t: float, cue: str, params: dict) -> None:
        self.person.on_cue(t, cue, params)
        if cue in ("summary", "session_ended"):      # done (or stopped): get up, come back later
            self._session += 1
            self.rig.body.stand(self.person.t0_s + t + LEAVE_S)
            self._coming_back = True

    def at_menu(self, now_s: float) -> None:
        """The appliance shows its menu: after a session, come back for the next one."""
        if self._coming_back:
            self._coming_back = False
            self.arrive(now_s + self.between_s)
