"""The streaming analysis: one perineal sample in, the floor's state and events out.

Causal and O(1) per sample (no look-ahead, no whole-array passes, nothing allocated on
the per-sample path), cheap enough for a Pi Zero 2 W at 250 Hz, and correct on uneven
sample spacing (every filter coefficient comes from the actual time step).

The `Analyzer` only composes small trackers and detectors, each with one job:
- `RestTracker` (session.rest): the resting level, the sensor noise, the rest deviation;
  `Thresholds`: every threshold from those and the breath size -- nothing in absolute
  kPa, so the results do not depend on the cushion's gain or rest level;
- `LiftDetector` (session.lift): contractions, their onset, hold, release and residual;
- `PushDetector` (session.push): bearing down, warned within a few tenths of a second;
- `CoughDetector` (session.cough): sharp spikes, never a push;
- `BreathTracker` and `BreathHoldDetector` (session.breathing): breathing rate and size,
  and a held breath;
- `SeatDetector`, `SeatTracker`, `SeatMoveDetector` (session.seat): sitting down and
  standing up, and the buttocks or posture instead of the floor.
They raise, complete and retract events through one `EventLog`; an event is never
removed (a contraction that turns out to be the buttocks is retracted, with a notice).

A recording must start with `warmup_s` of quiet sitting: the warm-up measures rest.
"""

from __future__ import annotations

from session.breathing import BreathHoldDetector, BreathTracker
from session.cough import CoughDetector
from session.detectability import SMOOTH_TAU_S
from session.events import GLUTE, POSTURE, SIT_DOWN, STAND_UP, Event, EventLog
from session.filters import History, OnePole
from session.lift import HOLD, LIFT, RELEASE, REST, LiftDetector
from session.push import FAST_TAU_S, NONE, PushDetector
from session.rest import RestTracker, Thresholds
from session.seat import SeatDetector, SeatMoveDetector, SeatTracker

WARMUP = 0
STATE_NAMES = ("warmup", "rest", "lift", "hold", "release")
__all__ = ["Analyzer", "WARMUP", "REST", "LIFT", "HOLD", "RELEASE", "STATE_NAMES"]

SPIKE_SETTLE_S = 0.3           # a push or spike is still settling this long after it is over
MAX_GAP_S = 0.5                # a longer gap in the samples is bridged as this (filters do not jump)
THRESHOLD_EVERY_S = 0.1
SETTLED_S = 6.0                # what rest looks like is learnt only this long after any movement
STALE_PERIODS = 2.0            # rest this long a level threshold off the baseline is the new rest


class Analyzer:
    """Feed `step(t_s, kpa)` with increasing times; read `state`, `deviation_kpa`, `events`.

    `notices` lists what happened to events in the latest `step()` (raised, completed,
    retracted); it is emptied at the start of the next one. `events` keeps every event
    ever raised, retracted ones included. `max_drop_kpa`: the user's maximal lift, when
    known, for % of maximum. `seat`: a SeatTracker the caller steps with the sitting-bone
    loads before each `step()`; with it the analysis also tells buttocks and posture from
    the floor, and sitting down from standing up.
    """

    def __init__(self, *, max_drop_kpa: float | None = None, seat: SeatTracker | None = None,
                 warmup_s: float = 8.0) -> None:
        self.log = log = EventLog()
        self.seat = seat
        self.warmup_s = warmup_s
        self.smooth = OnePole(SMOOTH_TAU_S)
        self.smooth_fast = OnePole(FAST_TAU_S)
        self.history = History(span_s=2.0, every_s=0.01)
        self.slow_history = History(span_s=6.0, every_s=0.1)
        self.lifts = LiftDetector(log, self.history, self.slow_history)
        self.lifts.max_drop_kpa = max_drop_kpa
        self.pushes = PushDetector(log, self.history)
        self.coughs = CoughDetector(log)
        self.breath = BreathTracker()
        self.breath_holds = BreathHoldDetector(log, self.breath)
        self.seated = SeatDetector(seated=True)
        self.moves = SeatMoveDetector(log)
        self.samples = 0
        self._begin()

    def _begin(self) -> None:
        """A fresh warm-up: everything but the events so far."""
        self.state = WARMUP
        self.deviation_kpa = 0.0
        self.rest = RestTracker()
        self.thresholds = Thresholds()
        self.history.clear()
        self.slow_history.clear()
        self.lifts.reset()
        self.pushes.reset()
        self.breath_holds.reset()
        self.moves.reset()
        self._t = self._t0 = self._next_thresholds_t = self._busy_t = self._next_stale_t = 0.0
        self._stale_since = -1.0
        self._warm = 0

    @property
    def events(self) -> list[Event]:
        return self.log.events

    @property
    def notices(self):
        return self.log.notices

    @property
    def baseline_kpa(self) -> float:
        return self.rest.baseline_kpa

    @property
    def pushing(self) -> bool:
        return self.pushes.pushing

    @property
    def max_drop_kpa(self) -> float | None:
        return self.lifts.max_drop_kpa

    @property
    def open_lift(self) -> Event | None:
        """The contraction under way (or just ended and settling), if any."""
        return self.lifts.lift or self.lifts.settling

    def restart(self) -> None:
        """Warm up afresh, keeping the events so far: after a pause the user sits down
        again on a new resting level (an event left open then is abandoned)."""
        self._begin()

    # --- the per-sample path ------------------------------------------------------------
    def step(self, t: float, kpa: float) -> int:
        """Process one sample; returns the state (WARMUP, REST, LIFT, HOLD, RELEASE)."""
        self.log.begin(t)
        seat = self.seat
        if seat is not None and not self._check_seated(t):
            return self.state
        if self._warm == 0:
            self._t = self._t0 = t
            self.smooth.reset(kpa)
            self.smooth_fast.reset(kpa)
            self.coughs.reset(kpa)
            self.breath.start(t, kpa)
            self._warm = 1
            self.samples += 1
            return WARMUP
        dt = t - self._t
        if dt <= 0.0:
            return self.state
        self._t = t
        self.samples += 1
        if dt > MAX_GAP_S:
            dt = MAX_GAP_S
        y = self.smooth.step(kpa, dt)
        y_fast = self.smooth_fast.step(kpa, dt)
        self.history.push(t, y)
        self.slow_history.push(t, y)
        rest = self.rest
        if self.state == WARMUP:
            rest.warm(kpa, y, dt)
            self.breath.step(t, kpa, True)
            if t - self._t0 >= self.warmup_s:
                self._finish_warmup(t, y)
            return WARMUP

        base = rest.baseline_kpa
        d = y - base
        self.deviation_kpa = d
        d2 = rest.track_raw(kpa)
        thr = self.thresholds
        lifts, pushes = self.lifts, self.pushes
        self.coughs.step(t, dt, y, base, thr.push_kpa)
        if (lifts.state != REST or pushes.state != NONE or lifts.recovering or lifts.settling is not None
                or self.coughs.active or self.moves.under_way):
            self._busy_t = t
        at_rest = t - self._busy_t >= SETTLED_S       # rest, and long enough after anything else
        self.breath.step(t, kpa, at_rest)
        self.breath_holds.step(t, lifts.state == LIFT or lifts.state == HOLD)
        still = True
        if seat is not None:
            moved = self.moves.step(t, seat, y, self.slow_history, thr.lift_level_kpa, self._t0)
            if moved is not None:
                self._seat_moved(moved, t, y)
            still = not (self.moves.under_way or seat.moving)
        push_was = pushes.state
        ref = lifts.reference_kpa(rest)            # letting go of a residual is no push: from rest up
        pushes.step(t, y, y_fast, ref if ref > base else base, rest, thr.push_kpa, still)
        coughs = self.coughs
        quiet = still and pushes.state == NONE and not coughs.active
        calm_t = pushes.ended_t if pushes.ended_t > coughs.last_spike_t else coughs.last_spike_t
        lifts.step(t, dt, y, rest, thr, quiet, calm_t + SPIKE_SETTLE_S)
        if lifts.state == LIFT or lifts.state == RELEASE or lifts.crossing or lifts.settling is not None \
                or pushes.state != push_was:
            self.breath.rebase(y)                    # the pressure is stepping: that is no breath
        if still and lifts.state == REST and pushes.state == NONE and lifts.settling is None \
                and not lifts.crossing:
            if t >= self._next_stale_t and not lifts.recovering:
                self._check_stale(t)
            rest.follow(d, thr.lift_fall_kpa, dt)       # during a slow recovery too: drift goes on
            if at_rest:
                rest.learn(d2, d, dt)
                if t >= self._next_thresholds_t:
                    self._update_thresholds(t)
        self.state = state = lifts.state
        return state

    # --- rare paths ---------------------------------------------------------------------
    def _finish_warmup(self, t: float, y: float) -> None:
        self.rest.finish_warmup()
        self._update_thresholds(t)
        self.state = REST

    def _check_stale(self, t: float) -> None:
        """A resting level that has sat a level threshold away from the baseline for
        `STALE_PERIODS` breaths, with nothing under way, is the rest now (a posture or a push
        misjudged, a slow shift the baseline was too slow for)."""
        self._next_stale_t = t + 0.5
        period_s = self.thresholds.breath_period_s
        window_s = period_s if period_s < 5.0 else 5.0
        if t - self._busy_t < window_s:                 # only a window of rest tells
            self._stale_since = -1.0
            return
        mean = self.slow_history.mean_between(t - window_s, t, self.rest.baseline_kpa)
        if abs(mean - self.rest.baseline_kpa) < self.thresholds.lift_level_kpa:
            self._stale_since = -1.0
        elif self._stale_since < 0.0:
            self._stale_since = t
        elif t - self._stale_since >= STALE_PERIODS * period_s:
            self.rest.baseline_kpa = mean
            self._stale_since = -1.0

    def _update_thresholds(self, t: float) -> None:
        rest, breath = self.rest, self.breath
        breath.set_noise(rest.noise_kpa, rest.dt_s)
        self.thresholds.update(rest, breath.size_kpa, breath.period_s)
        self._next_thresholds_t = t + THRESHOLD_EVERY_S

    def _seat_moved(self, event: Event, t: float, y: float) -> None:
        """A glute or posture movement was confirmed (`event.end` None) or is over."""
        self.pushes.cancel()
        if event.end is None:
            lift = self.lifts.lift
            moves = self.moves
            lead_s = moves.glute_lead_s if event.kind == GLUTE else moves.lift_lead_s
            if lift is not None and lift.start >= event.start - lead_s:
                self.lifts.abandon(event.kind)      # it was the same movement, not the floor
            return
        if event.kind == POSTURE and self.lifts.state == REST and self.pushes.state == NONE:
            # the new posture's level is the new rest: move the baseline by what the movement
            # changed (breathing averaged out over a second either side)
            slow = self.slow_history
            before = slow.mean_between(event.start - 1.2, event.start - 0.2, y)
            after = slow.mean_between(t - 1.0, t, y)
            if abs(after - before) >= self.thresholds.lift_level_kpa:
                self.rest.baseline_kpa += after - before
        self.lifts.forget_crossing()

    def _check_seated(self, t: float) -> bool:
        """Standing up ends the analysis until the user sits down again (then a fresh warm-up)."""
        seat = self.seat
        was = self.seated.seated
        now = self.seated.update(t, seat.load_left_kg, seat.load_right_kg)
        if now != was:
            moving = self.moves.event
            if not now and moving is not None and moving.start >= t - self.seated.confirm_s - 1.0:
                self.log.retract(moving, STAND_UP)    # that was getting up, not a glute or posture
            self.log.raise_(Event(SIT_DOWN if now else STAND_UP, t, t, end=t, completed_at=t))
            if now:
                self._begin()
        return now

    # --- end of stream -------------------------------------------------------------------
    def open_events(self) -> list[Event]:
        """Events raised but not yet complete (their `end` is None)."""
        return [e for e in (self.lifts.lift, self.lifts.settling, self.pushes.push, self.moves.event,
                            self.breath_holds.hold) if e is not None and e.completed_at is None]
