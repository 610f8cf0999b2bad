"""Somebody using the appliance, for `pftrainer run --sim`: walks up, sits down, presses OK
when the menu is up (and again when a press started nothing, or asked whose session it is: the
question is laid out as the menu), follows the cues as a persona,
reads the end screen's pages through, stands up and comes back for the next one -- unattended,
on the simulator's clock.

Like a real user, it only sees and hears the rig: it listens to the buzzer pin
(`BuzzerListener`), looks at the emulated screen now and then (`WATCH_S`), and acts
on the body (sitting, standing, the pelvic floor) and the buttons. A session has
begun when the first cue after its OK press sounds, and is over when its end sound does or
its end screen is seen (trial93's user, who never heard the sound -- a slow device lengthened
its first beep then --, sat in front of the end screen until the device's 2-minute limit).

`days_between`: after each session the user comes back that many simulated days later, at
the time of day that session began (the rig's calendar moves on; a persona that improves has
trained those days) -- not that many days after it ended, which would start each day's session a
session's length later than the last, and skip a day every few weeks.

`stand_up_s`: in each session, stand up this many seconds in (letting go of any lift held)
and sit down again `away_s` later (the appliance pauses and resumes by itself); a session that is over
by then is left alone. A session that ends early (the menu is back without a summary)
sends the user away for a while too.
"""

from __future__ import annotations

import datetime

from PIL import Image

from hw_sim.listener import BuzzerListener
from hw_sim.persona import Persona, SimulatedPerson
from hw_sim.rig import SimRig
from hw_sim.screen_reader import shows_end_screen, shows_menu, target_pct
from session import cues

ARRIVE_S = 2.0        # from walking up to sitting down
PRESS_S = 3.0         # from sitting down to pressing OK
LEAVE_S = 4.0         # from the summary to standing up, at the soonest: once its pages went round
READ_MAX_S = 60.0     # ... at the latest (a screen that never turns back to its first page; its pages
                      # of two rows each go round in 16-36 s)
WATCH_S = 0.5         # how often the user glances at the screen
RETRY_S = 5.0         # the menu still (or again) up this long after OK: the press started nothing


class SimulatedUser:
    def __init__(self, rig: SimRig, persona: Persona, ok_pin: int, buzzer_pin: int, buzzer_hz: float, *,
                 seed: int = 0, stand_up_s: float | None = None, away_s: float = 15.0,
                 between_s: float = 30.0, days_between: int = 0) -> None:
        self.rig = rig
        self.days_between = days_between
        self._began: datetime.datetime | None = None    # when the session under way began, on the calendar
        self.ok_pin = ok_pin
        self.stand_up_s = stand_up_s
        self.away_s = away_s
        self.between_s = between_s
        self.person = SimulatedPerson(persona, rig.body, seed=seed,
                                      sees_target=lambda: target_pct(rig.seen()))
        self.session_starts_s: list[float] = []   # clock times at which sessions began
        self._seated = False
        self._menu_since_s: float | None = None    # seated in front of the menu since
        self._pressed_s: float | None = None       # OK pressed, session not begun yet
        self._in_session = False
        self._reading: tuple[float, bytes | None, bool] | None = None   # the end screen: since, its first
                                                   # page, another page seen (a trial missed the third)
        self._session = 0                          # stand-ups belong to the session they were planned in
        rig.body.stand(rig.clock.now())            # not on the cushion yet
        BuzzerListener(rig.clock, rig.pin_factory.pin(buzzer_pin), self._hear, buzzer_hz)
        rig.clock.call_at(rig.clock.now() + WATCH_S, self._watch)

    def arrive(self, at_s: float) -> None:
        """Walk up at `at_s` and sit down; OK follows when the menu is up."""
        def sit(_t):
            self._seated = True
            self.rig.body.sit(_t)
        self.rig.clock.call_at(at_s + ARRIVE_S, sit)

    def _watch(self, now_s: float) -> None:
        """A glance at the screen: the end screen read on; seated in front of the menu for PRESS_S,
        press OK."""
        rig = self.rig
        image = rig.seen()
        if self._in_session and shows_end_screen(image):   # over, its end sound not (yet) heard
            self._session_over(now_s)
        if self._reading is not None:
            self._read_end_screen(now_s, image)
        menu = shows_menu(image)
        if menu and self._in_session:                 # the session ended early: leave, come back later
            self._in_session = False
            self._session += 1
            self._leave(now_s)
            self.arrive(now_s + self.between_s)
        if menu and self._pressed_s is not None and now_s - self._pressed_s >= RETRY_S - 1e-9:
            self._pressed_s = None                    # it started nothing (not seen seated yet, say): again
        dark = image.getbbox() is None                # no screen: press OK and listen
        if self._seated and self._pressed_s is None and (menu or dark and not self._in_session):
            if self._menu_since_s is None:
                self._menu_since_s = now_s
            if now_s - self._menu_since_s >= PRESS_S - 1e-9:
                self._pressed_s = now_s
                self._menu_since_s = None
                rig.pin_factory.press(self.ok_pin, now_s)
        else:
            self._menu_since_s = None
        rig.clock.call_at(now_s + WATCH_S, self._watch)

    def _hear(self, start_s: float, cue: str) -> None:
        if self._pressed_s is not None:            # the first cue after OK: a session began
            self._pressed_s = None
            self._begin_session(start_s)
        self.person.hear(start_s, cue)
        if cue == cues.SUMMARY:                    # done: read the end screen, get up, come back later
            self._session_over(start_s)

    def _session_over(self, since_s: float) -> None:
        """The session is over since `since_s` (heard or seen, once: both may say it): read its
        end screen."""
        if self._reading is None:
            self._session += 1
            self._in_session = False
            self._reading = (since_s, None, False)

    def _read_end_screen(self, now_s: float, image: Image.Image) -> None:
        """The end screen read through: once its pages have gone round to its first again (a new
        level is its last; the first is the first end-screen page seen, not the session's last
        frame still up), or READ_MAX_S on, or the menu back (a fault ended the end screen), stand up."""
        since_s, first, turned = self._reading
        page = image.tobytes()
        if first is None:
            first = page if shows_end_screen(image) else None
        elif page != first:
            turned = True
        if turned and page == first and now_s - since_s >= LEAVE_S or now_s - since_s >= READ_MAX_S \
                or shows_menu(image):
            self._reading = None
            self._leave(now_s)
            self.arrive(now_s + self.between_s)
        else:
            self._reading = (since_s, first, turned)

    def _leave(self, _t: float) -> None:
        self._seated = False
        self.rig.body.stand(_t)
        if self.days_between:                      # back another day, as the last one began
            self.rig.calendar.pass_until(self._began + datetime.timedelta(days=self.days_between)
                                         - datetime.timedelta(seconds=self.between_s + ARRIVE_S + PRESS_S))
            self.rig.body.recover()
            self.person.train(self.days_between)

    def _begin_session(self, t0_s: float) -> None:
        self._session += 1
        self._in_session = True
        self._began = self.rig.calendar.now()
        self.session_starts_s.append(t0_s)
        if self.stand_up_s is None:
            return
        session, body, clock = self._session, self.rig.body, self.rig.clock

        def during_this_session(action):
            return lambda _t: action(_t) if self._session == session else None

        def stand(t_s: float) -> None:
            self.person.stand_up(t_s)              # lets go of any lift first
            body.stand(t_s)
        clock.call_at(t0_s + self.stand_up_s, during_this_session(stand))
        clock.call_at(t0_s + self.stand_up_s + self.away_s, during_this_session(body.sit))

    @property
    def push_times_s(self) -> list[float]:
        return self.person.push_times_s
