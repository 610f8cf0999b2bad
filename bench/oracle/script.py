"""A scenario script places body actions on the timeline, in time order.

The cursor `t` is when the person is free for the next thing. Each primitive draws the body's own
variability (rise and release times, levels, how the breath is handled), checks that the action
fits before the end of the recording, appends it, and moves the cursor to its end. Scenario blocks
(scenarios.py) decide what to do and how long to rest in between.
"""

from __future__ import annotations

import math

from .floor import Contraction
from .seating import Glute, Posture, SitDown, StandUp
from .straining import BearDown, Cough

END_MARGIN_S = 1.5


class Script:
    def __init__(self, person, rng, breathing, duration_s, tone=None):
        self.person = person
        self.rng = rng
        self.breathing = breathing
        self.tone = tone
        self.quiet_until_s = rng.uniform(8.5, 12.0)
        self.t = self.quiet_until_s
        self.end_s = duration_s - END_MARGIN_S
        self.actions = []
        self.breath_holds = []      # (t_stop, t_resume, during_contraction)
        self.let_gos = []
        self.breath_free_s = self.quiet_until_s - 0.3   # breathing may be changed from here on
        self.headroom = 1.0 - person.tone_frac if person.overtense else 1.0
        self.brief = False          # short sets (the mixed scenario)

    # -- cursor ---------------------------------------------------------------------------------
    def fits(self, need_s: float) -> bool:
        return self.t + need_s <= self.end_s

    def wait(self, s: float) -> None:
        self.t += s

    def cue_on_exhale(self, p: float = 0.7) -> None:
        """Lifts are cued on the exhale (brochures 000, 001): start just after an exhale begins."""
        if self.rng.random() < p:
            t = self.breathing.next_exhale(self.t)
            if t is not None and t - self.t < 8.0:
                self.t = t + self.rng.uniform(0.0, 0.4)

    # -- pelvic floor -----------------------------------------------------------------------------
    def lift(self, style, level, hold_s, *, incomplete=False, breath_held=False, floors=None,
             start_s=None, cue=True):
        """A voluntary lift. style 'hold' | 'endurance' | 'flick' (hold_s ignored for a flick: its
        whole duration is drawn in 0.25-0.8 s). Returns the Contraction, or None if it does not
        fit."""
        rng, p = self.rng, self.person
        if style == "flick":
            total = rng.uniform(0.25, 0.8)
            rise_s = total * rng.uniform(0.3, 0.45)
            hold_s = total * rng.uniform(0.0, 0.2)
            release_s = total - rise_s - hold_s
        else:
            rise_s = min(max(p.rise_s * rng.uniform(0.7, 1.4), 0.2), 1.2)
            release_s = min(max(p.release_s * rng.uniform(0.7, 1.4), 0.25), 1.8)
        residual_frac, residual_tau_s = 0.0, 6.0
        if p.overtense and style != "flick":
            release_s = rng.uniform(1.5, 4.0)
            residual_frac, residual_tau_s = rng.uniform(0.2, 0.5), rng.uniform(8.0, 20.0)
        elif incomplete:
            residual_frac, residual_tau_s = rng.uniform(0.1, 0.3), rng.uniform(3.0, 10.0)
        if start_s is None:
            if cue and not breath_held:
                self.cue_on_exhale()
            start_s = self.t
        catch_s = rng.uniform(0.4, 0.8) if breath_held and rng.random() < 0.5 else 0.0
        if breath_held:
            earliest = self.breath_free_s + catch_s + 0.3
            start_s = max(start_s, earliest + 0.8)
        need = start_s - self.t + rise_s + hold_s + release_s + (2.5 if breath_held else 0.3)
        if not self.fits(need):
            return None
        c = Contraction(rng, p, start_s=start_s, style=style, level=level, hold_s=hold_s,
                        rise_s=rise_s, release_s=release_s, residual_frac=residual_frac,
                        residual_tau_s=residual_tau_s, floors=floors, headroom=self.headroom,
                        breath_held=breath_held)
        self.actions.append(c)
        end = c.end_s
        if breath_held:
            t_stop = start_s + rng.uniform(-0.8, min(0.5, 0.5 * rise_s + 0.3))
            t_resume = c.end_s + rng.uniform(0.2, 2.0)
            self._hold_breath(t_stop, t_resume, catch_s, rng.uniform(0.5, 1.2), True)
            end = t_resume
        self.t = max(self.t, end)
        return c

    def let_go(self) -> bool:
        """An over-tense floor trying to let go: part of the tone goes, slowly, then creeps back."""
        if self.tone is None:
            return False
        rng = self.rng
        down_s, stay_s, up_s = rng.uniform(3.0, 8.0), rng.uniform(4.0, 15.0), rng.uniform(8.0, 25.0)
        if not self.fits(down_s + stay_s):
            return False
        depth = rng.uniform(0.3, 0.6)
        self.tone.let_go(self.t, down_s, stay_s, up_s, depth)
        self.let_gos.append((self.t, down_s, stay_s, up_s, depth))
        self.t += down_s + stay_s
        return True

    # -- breathing manoeuvres ----------------------------------------------------------------------
    def _hold_breath(self, t_stop, t_resume, catch_s, catch_depth, during_contraction):
        self.breathing.hold(t_stop, t_resume, catch_s, catch_depth)
        self.breath_holds.append((t_stop, t_resume, during_contraction))
        self.breath_free_s = t_resume

    # -- intra-abdominal pressure ------------------------------------------------------------------
    def push(self, push_kpa, dur_s, *, valsalva=False, start_s=None):
        """Bearing down. With valsalva the person first takes a breath and holds it (from a little
        before the push until a little after)."""
        rng = self.rng
        start_s = self.t if start_s is None else start_s
        catch_s = rng.uniform(0.5, 1.0) if valsalva else 0.0
        lead_s = rng.uniform(0.2, 1.0) if valsalva else 0.0
        if valsalva:
            start_s = max(start_s, self.breath_free_s + catch_s + lead_s + 0.3)
        after_s = rng.uniform(0.2, 1.0) if valsalva else 0.0
        if not self.fits(start_s - self.t + dur_s + after_s + 0.3):
            return None
        b = BearDown(rng, self.person, start_s=start_s, push_kpa=push_kpa, dur_s=dur_s,
                     breath_held=valsalva)
        self.actions.append(b)
        end = b.end_s
        if valsalva:
            self._hold_breath(start_s - lead_s, b.end_s + after_s, catch_s, rng.uniform(1.0, 2.0),
                              False)
            end = b.end_s + after_s
        self.t = max(self.t, end)
        return b

    def cough_bout(self, n: int, start_s=None):
        """1-3 coughs in a row, the first often after a quick deep inhale; start_s: the first
        compression (the inhale comes before it), at the cursor by default."""
        rng = self.rng
        inhale_s = rng.uniform(0.4, 0.8) if rng.random() < 0.7 else 0.0
        if start_s is None:
            start = max(self.t, self.breath_free_s + 0.3) + inhale_s
        else:
            start = max(start_s, self.breath_free_s + 0.3 + inhale_s)
        spikes, t = [], start
        for _ in range(n):
            compress_s = rng.uniform(0.05, 0.15)
            expel_s = rng.uniform(0.08, min(0.25, 0.38 - compress_s))
            spikes.append((t, compress_s, expel_s))
            t += compress_s + expel_s + rng.uniform(0.25, 0.6)
        if not self.fits(t - self.t + 0.5):
            return []
        self.breathing.cough_bout(spikes, inhale_s, rng.uniform(1.5, 2.5))
        coughs = []
        peak = rng.uniform(0.3, 2.5)
        for k, (t0, compress_s, expel_s) in enumerate(spikes):
            inhale_start = t0 - inhale_s if (k == 0 and inhale_s) else None
            c = Cough(rng, start_s=t0, peak_kpa=peak, compress_s=compress_s, expel_s=expel_s,
                      inhale_start_s=inhale_start)
            coughs.append(c)
            peak *= rng.uniform(0.6, 0.95)
        self.actions.extend(coughs)
        self.breath_free_s = coughs[-1].end_s + 0.5
        self.t = max(self.t, coughs[-1].window[1])
        return coughs

    # -- seat --------------------------------------------------------------------------------------
    def glute(self, with_lift: bool):
        rng = self.rng
        hold_s = rng.uniform(1.5, 8.0)
        if not self.fits(hold_s + 4.0):
            return None
        g = Glute(rng, self.person, start_s=self.t, hold_s=hold_s, with_lift=with_lift)
        self.actions.append(g)
        end = g.end_s
        if with_lift:
            start = max(self.t + rng.uniform(-0.5, 0.5), self.quiet_until_s)
            c = self.lift("hold", rng.uniform(0.3, 0.9), max(1.0, hold_s + rng.uniform(-1.0, 1.0)),
                          start_s=start)
            if c is not None:
                end = max(end, c.end_s)
            g.details["with_lift"] = c is not None
        self.t = max(self.t, end)
        return g

    def posture(self, way: str, permanent: bool, *, start_s=None, undo=None):
        """A posture shift (undo: back from a lasting one, see Posture); at the cursor unless
        start_s is given."""
        rng = self.rng
        hold_s = 0.0 if permanent else rng.uniform(2.0, 12.0)
        start_s = self.t if start_s is None else start_s
        if not self.fits(start_s - self.t + hold_s + 5.0):
            return None
        a = Posture(rng, self.person, start_s=start_s, way=way, permanent=permanent, hold_s=hold_s,
                    undo=undo)
        self.actions.append(a)
        self.t = max(self.t, a.end_s)
        return a

    def stand_and_sit(self):
        """Stand up, stay standing 5-30 s, sit down again (labelled from first contact)."""
        rng = self.rng
        standing_s = rng.uniform(5.0, 15.0 if self.brief else 20.0)
        if not self.fits(standing_s + 8.0):
            return None
        contact = self.t + 2.0 + standing_s
        up = StandUp(rng, self.person, start_s=self.t, until_s=contact)
        down = SitDown(rng, self.person, start_s=max(contact, up.end_s + 2.0))
        up.window = (up.start_s, down.start_s)
        self.actions.extend((up, down))
        self.t = down.end_s
        return up, down

    def finish(self) -> None:
        """A permanent posture, and the spot one sits down on, last until the next stand-up."""
        stand_ends = sorted(a.end_s for a in self.actions if isinstance(a, StandUp))
        for a in self.actions:
            if isinstance(a, SitDown) or (isinstance(a, Posture) and a.permanent):
                later = [t for t in stand_ends if t > a.start_s]
                a.window = (a.window[0], later[0] if later else math.inf)
        self.actions.sort(key=lambda a: a.start_s)
