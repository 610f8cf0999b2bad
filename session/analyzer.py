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
  standing up, and the buttocks or posture instead of the floor;
- `PostureArrival`, `ArrivalPushes`, `ArrivalLifts` (session.arrival): a posture's loads come
  to rest, the level they came to, and pushes and lifts measured from it.
They raise, complete and retract events through one `EventLog`; an event is never
removed (a contraction that turns out to be the buttocks is retracted, with a notice).

A recording must start with `warmup_s` of quiet sitting: the warm-up measures rest.
"""

from __future__ import annotations

import math

from session.arrival import ArrivalLifts, ArrivalPushes, PostureArrival
from session.breathing import BreathHoldDetector, BreathTracker
from session.cough import CoughDetector
from session.detectability import SMOOTH_TAU_S
from session.events import BREATH_HOLD, CONTRACTION, GLUTE, LET_GO, POSTURE, SIT_DOWN, STAND_UP, Event, EventLog
from session.filters import MAX_GAP_S, History, OnePole
from session.lift import HOLD, LIFT, RELEASE, REST, LiftDetector
from session.push import ACTIVE, FAST_TAU_S, NONE, WATCH_SHARE, PushDetector
from session.rest import RestTracker, Thresholds
from session.seat import SEAT_CONFIRM_S, SeatDetector, SeatMoveDetector, SeatTracker

WARMUP = 0
STATE_NAMES = ("warmup", "rest", "lift", "hold", "release")
__all__ = ["Analyzer", "WARMUP", "REST", "LIFT", "HOLD", "RELEASE", "STATE_NAMES"]

# a movement confirmed up to GETTING_UP_LEAD_S before the seat confirms standing was getting up (its
# start goes back to when the loads first left rest): a glute or posture may be taken back as
# STAND_UP until GETTING_UP_S after it was confirmed
GETTING_UP_LEAD_S = 1.0
GETTING_UP_S = SEAT_CONFIRM_S + GETTING_UP_LEAD_S
POSTURE_BEFORE_S = 1.2         # a posture's level before is read over this long before it began
COUGH_JERK_S = 0.5             # the loads swinging this soon after a cough's spike are the cough
COUGH_JERK_LEAD_S = 0.2        # ... and this long before it began
RISING_OFF_SHARE = 0.1         # a spike that ends with this share of the seat's resting load gone ...
RISING_OFF_SHARE_PER_S = 0.15  # ... and going faster than this share a second waits (`CoughDetector.settle`):
                               # standing up, or a cough bent forward (a cough's own jerk moves it a few %)
SPIKE_SETTLE_S = 0.3           # a push or spike is still settling this long after it is over
MOVED_LEVEL_FALLS = 2.0        # a level left below rest by a movement, less than this many lift falls
THRESHOLD_EVERY_S = 0.1
_HOLDING = (LIFT, HOLD)         # the floor is lifted (a held breath matters)
RE_REST_S = 30.0               # a movement this soon after one that left the level unknown sets the rest
SETTLED_S = 6.0                # what rest looks like is learnt only this long after any movement
WARMUP_SETTLE_S = 1.5          # a warm-up after the first learns from this long after it began
                               # (sitting down, the cushion's pressure still climbs for a second or so)
STALE_PERIODS = 2.0            # rest this long a level threshold off the baseline is the new rest
STALE_CHECK_S = 0.5            # ... looked at this often
RESYNC_CALM_S = 0.3            # after a gap, detection goes on once the pressure is this long at rest;
RESYNC_WAIT_S = 5.0            # not back at rest within this, the user may sit on another level
INHALING_PERIODS = 0.1         # a lift began in the inhale: over this share of a breath period before its
INHALING_MAX_S = 0.5           # onset (at most this long) the pressure rose by more than this share of a
INHALING_SHARE = 0.1           # breath's swing, and by more than INHALING_NOISE_K sds of the noise of the rise
INHALING_NOISE_K = 2.0
INHALING_LATE_S = 0.25         # ... and was still rising over the last this long by INHALING_LATE_SHARE of that
INHALING_LATE_SHARE = 0.3      # rise (a steady rise puts half of it there; at the top of an inhale the rise slows to
                               # nothing: a person lifting as cued, a little before the top of a 3 s inhale, read in
                               # the inhale in 6 to 9 of 24 lifts at 5-6 s holds)
SQRT2 = math.sqrt(2.0)         # the noise of a difference of two readings, in the sds of one
UNSETTLED_S = 1.0              # ... not to be told when another movement was under way this soon before
UNSETTLED_SCAN_S = 30.0        # (movements begun longer before are over: a push lasts 10 s at most)


class Analyzer:
    """Feed `step(t_s, kpa)` with increasing times; read `state`, `deviation_kpa`, `events`.

    `deviation_kpa`: the smoothed pressure's distance from the rest -- while a low floor whose
    recovery settled below the rest it left is awaited to let go (15 s at most), from that rest,
    so that how far it is still lifted shows until it lets go.

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
        self.arrival = PostureArrival(self.history, self.slow_history)
        self.arrival_pushes = ArrivalPushes(self.arrival, self.pushes)
        self.arrival_lifts = ArrivalLifts(self.arrival)
        self._kept: tuple[RestTracker, Thresholds] | None = None   # the rest before a gap, while a
                                                                    # warm-up after it may yet return there
        self._started_t = math.inf    # the first sample since the last (re)start
        self._first_warmup = True     # the user was asked to sit still; a later warm-up begins as
        self._learn_from_t = 0.0      # they sit down again: it learns from WARMUP_SETTLE_S on
        self._begin()

    def _begin(self, keep_rest: bool = False) -> None:
        """A fresh warm-up: everything but the events so far; or, `keep_rest`, only what
        was under way (what rest looks like is kept, and no warm-up is needed)."""
        self._keep_rest = keep_rest
        self._resyncing = False
        self._resync_t = 0.0
        self._kept = None
        self._calm_t = -1.0
        if not keep_rest:
            self.state = WARMUP
            self.deviation_kpa = 0.0
            self.rest = RestTracker()
            self.thresholds = Thresholds()
            self._t0 = self._next_thresholds_t = self._next_stale_t = 0.0
        else:
            self.state = REST
        self.history.clear()
        self.slow_history.clear()
        self.lifts.reset()
        self.pushes.reset()
        self.breath_holds.reset()
        self.moves.reset()
        self.arrival.reset()
        self.arrival_pushes.reset()
        if keep_rest:
            self.arrival_lifts.end(self.rest)     # (a baseline moved to an arrival is put back)
        else:
            self.arrival_lifts.reset()
        self._busy_t = 0.0
        self._t = math.inf            # no sample yet: the first one starts the warm-up (or the filters)
        self._stale_since = -1.0
        self._sat_kpa = math.nan      # the rest a lift fell from while the baseline was stale
        self._before_move_kpa = 0.0   # the level in the second before the seat movement under way
        self._calm_before_move = False   # ... read with no push or cough in it
        self._last_move: Event | None = None   # the last seat movement that is over ...
        self._movement_fall_t = -math.inf  # when a movement's fall was last taken back as no lift
        self._rebased_drop_kpa = 0.0       # the lift's drop when the breathing band last started
        self._level_after_move_kpa = math.nan   # ... the level it left, if known (calm before, settled
        self._known_after_move = False          # after; a squeeze's back where it was)
        self._rest_was_held_lift = False   # the last movement's end, or a recovery's settle, took for rest a level a lift held
        self._rest_left_kpa = math.nan     # a settle's let-go awaited: the rest the floor left (NaN: none)
        self._lift_at_move: Event | None = None   # a lift under way as the movement under way was
        self._held_at_move_kpa = 0.0               # confirmed, and how deep it was
        self._rest_unknown_t = -math.inf   # when the last movement left the level unknown (-inf: it
                                           # was known, or the stale-rest check has put it right since)

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
    def level_kpa(self) -> float:
        """The smoothed pressure now."""
        return self.smooth.y

    def began_on_exhale(self, lift: Event) -> bool | None:
        """Whether `lift`, the contraction just raised, began on the exhale: the pressure was
        no longer rising at its onset -- over `INHALING_PERIODS` of a breath before it (at
        most `INHALING_MAX_S`), by less than `INHALING_SHARE` of a breath's swing, or by more but
        less than `INHALING_LATE_SHARE` of it over its last `INHALING_LATE_S` (the rise slowing to
        nothing: a steady rise puts half of it there): a smooth
        inhale rises a quarter to a third of its swing in that long in its middle, less than
        a tenth at its top if it lasts 3 s or more. So a lift begun together with the breath
        out, as *Adem uit, til op* asks, is on the exhale, though the breath tracker, which
        waits for the exhale's fall, has not turned yet; one begun in the inhale is not (a
        lift at the very top of a quick inhale may read either way). None when the pressure
        then was not the breath's to judge: a push, a cough or a seat movement under way or
        over less than `UNSETTLED_S` before. (The slow let-go of the lift before, still
        rising, reads as an inhale.)"""
        onset_s = lift.start
        window_s = INHALING_PERIODS * self.thresholds.breath_period_s
        before_s = onset_s - (window_s if window_s < INHALING_MAX_S else INHALING_MAX_S)
        if before_s < self._started_t or self.thresholds.breath_kpa <= 0.0:
            return None                 # (the history before a restart is gone; no breath learnt)
        for event in reversed(self.log.events):
            if event.start < before_s - UNSETTLED_SCAN_S:
                break
            if (event.start >= onset_s or event.start < self._started_t or event.retracted is not None
                    or event.kind in (CONTRACTION, BREATH_HOLD, SIT_DOWN, STAND_UP)):
                continue                # (after the onset; abandoned by a restart; not what happened)
            if event.end is None or event.end > before_s - UNSETTLED_S:
                return None
        history = self.history if self._t - before_s < self.history.span_s - 0.05 else self.slow_history
        y = self.smooth.y
        thr = self.thresholds
        # a rise within the noise of two readings' difference is none (at the top of a 3 s inhale, 13
        # of 24 lifts of a person lifting as cued read "in the inhale": a trial)
        at_onset = history.value_at(onset_s, y)
        rise_kpa = at_onset - history.value_at(before_s, y)
        if rise_kpa <= INHALING_SHARE * thr.breath_kpa + INHALING_NOISE_K * SQRT2 * thr.noise_y_kpa:
            return True
        late_s = onset_s - INHALING_LATE_S
        return late_s > before_s and at_onset - history.value_at(late_s, y) <= INHALING_LATE_SHARE * rise_kpa

    @property
    def spiking(self) -> bool:
        """A spike (a cough's, say) under way or settling (`SPIKE_SETTLE_S`): the pressure is
        the spike's, not the floor's."""
        coughs = self.coughs
        return coughs.start_t >= 0.0 or self._t - coughs.last_spike_t < SPIKE_SETTLE_S

    @property
    def quiet(self) -> bool:
        """Nothing under way: no lift, push, cough spike or seat movement (the floor rests)."""
        return (self.state == REST and self.pushes.state == NONE and self.coughs.start_t < 0.0
                and self.moves.event is None)

    def take_for_let_go(self, push: Event) -> None:
        """The caller knows `push`, over, was the floor letting go (the step asked only that):
        retracted as LET_GO."""
        self.log.retract(push, LET_GO)

    @property
    def rest_learnt_s(self) -> float:
        """Seconds of settled rest the thresholds have learnt from since the warm-up (few: they
        still stand where the warm-up's breaths set them)."""
        return self.rest.learnt_s

    @property
    def unloaded_share(self) -> float:
        """The share of the sitting bones' resting load gone (0 without the seat)."""
        seat = self.seat
        return seat.unloaded_share if seat is not None else 0.0

    @property
    def max_drop_kpa(self) -> float | None:
        return self.lifts.max_drop_kpa

    @max_drop_kpa.setter
    def max_drop_kpa(self, kpa: float | None) -> None:
        """The user's maximum, once known (the coach owns it and measures it): the lifts
        completed from then on carry their % of it."""
        self.lifts.max_drop_kpa = kpa

    @property
    def open_lift(self) -> Event | None:
        """The contraction under way (or just ended and settling), if any."""
        return self.lifts.lift or self.lifts.settling

    def restart(self, *, keep_rest: bool = False) -> None:
        """Warm up afresh, keeping the events so far: after a pause the user sits down
        again on a new resting level (an event left open then is abandoned).
        `keep_rest`: a gap in the samples, not a pause (nobody was asked to sit still; the
        same person on the same cushion, perhaps in the middle of an exercise, where a
        warm-up could learn a lift as rest). When the samples come back to the resting
        level, what rest looks like (its level, noise, breathing, the thresholds) is kept
        and detection goes on once the pressure has been at rest for `RESYNC_CALM_S` (a
        hold or push under way when they came back is let end unseen). Not back within
        `RESYNC_WAIT_S`, the user may sit on another level: a fresh warm-up -- but should
        the pressure come back to the old rest during it (a long hold let go), that rest is
        taken back. What was under way at the gap is abandoned. During the first warm-up,
        or a fresh one, it is a fresh warm-up all the same (one after a gap still watches
        for the rest before it)."""
        kept = self._kept if keep_rest else None
        self._begin(keep_rest and self.state != WARMUP)
        if self.state == WARMUP:
            self._kept = kept

    # --- the per-sample path ------------------------------------------------------------
    def step(self, t: float, kpa: float) -> int:
        """Process one sample; returns the state (WARMUP, REST, LIFT, HOLD, RELEASE)."""
        self.log.begin(t)
        seat = self.seat
        if seat is not None:
            seated = self.seated
            was = seated.seated
            if seated.update(t, seat.load_left_kg, seat.load_right_kg) != was:
                self._seated_changed(t)
            if not seated.seated:            # standing: no analysis until the user sits down again
                return self.state
        dt = t - self._t
        if dt <= 0.0:
            if self._t == math.inf:
                self._start(t, kpa)
            return self.state
        last_t = self._t
        self._t = t
        if dt > MAX_GAP_S:               # a gap is bridged as this much (filters do not jump)
            dt = MAX_GAP_S
        y = self.smooth.step(kpa, dt)
        y_fast = self.smooth_fast.step(kpa, dt)
        history, slow_history = self.history, self.slow_history
        if t >= history.due_s:
            history.push(t, y)
        if t >= slow_history.due_s:
            slow_history.push(t, y)
        rest = self.rest
        breath = self.breath
        if self.state == WARMUP:
            if self._kept is not None and self._back_at_kept_rest(t, y):
                return self.state
            learn_t = self._learn_from_t
            if t < learn_t:
                return WARMUP
            if last_t < learn_t:              # the breathing band starts from the settled level
                breath.start(t, kpa)
            rest.warm(kpa, y, dt)
            breath.step(t, kpa, True)
            if t - self._t0 >= self.warmup_s:
                self._finish_warmup(t, y)
            return WARMUP

        base = rest.baseline_kpa
        d = y - base
        self.deviation_kpa = d
        if self._resyncing:
            if not -self.thresholds.lift_level_kpa < d < self.thresholds.lift_level_kpa:
                self._busy_t = t
                if t - self._resync_t >= RESYNC_WAIT_S:
                    self._rewarm(t, kpa)       # not back: it sits on another level now
                return self.state
            if t - self._busy_t < RESYNC_CALM_S:
                return self.state
            self._resume_detection(y)
        d2 = rest.track_raw(kpa)
        thr = self.thresholds
        push_kpa = thr.push_kpa
        lifts = self.lifts
        pushes = self.pushes
        coughs = self.coughs
        moves = self.moves
        spikes_held = coughs.held
        rising_off = ((coughs.start_t >= 0.0 or spikes_held) and seat is not None
                      and seat.rising_off(RISING_OFF_SHARE, RISING_OFF_SHARE_PER_S))
        if spikes_held:
            coughs.settle(t, rising_off, self.seated.standing(seat.load_left_kg, seat.load_right_kg))
        coughs.step(t, dt, y, base, push_kpa, lifts.state == HOLD or pushes.state == ACTIVE, rising_off)
        coughing = coughs.start_t >= 0.0
        if coughs.last_cough_t == t and seat is not None:     # the seat's rest, not the cough's jerk
            seat.restore_rest(coughs.last_cough_start_t - COUGH_JERK_LEAD_S, COUGH_JERK_S)
        lift_state = lifts.state
        if (lift_state != REST or pushes.state != NONE or lifts.recovering or lifts.settling is not None
                or coughing or moves.event is not None):
            self._busy_t = t
        at_rest = t - self._busy_t >= SETTLED_S       # rest, and long enough after anything else
        breath.step(t, kpa, at_rest, self._busy_t != t)
        self.breath_holds.step(t, kpa, lift_state in _HOLDING)
        still = True
        shifting = False
        lifts_open = False                     # a lift may be taken in a seat movement (from its arrival)
        arrival_pushes = self.arrival_pushes
        if seat is not None:
            seat_moving = seat.moving
            shifting = seat.shifting           # a lean across the seat under way: no quick push
            if moves.event is None and t - coughs.last_cough_t < COUGH_JERK_S:
                moves.ignore(t)                    # the trunk jerking with a cough: no posture
            elif (seat_moving or moves.event is not None or moves.moving_since_t >= 0.0
                  or (seat.unloading and lifts.lift is not None)):
                moved = moves.step(t, seat, y, slow_history, thr.lift_level_kpa, self._t0, lifts.lift is not None)
                if moved is not None:
                    self._seat_moved(moved, t, y)
                still = not (moves.event is not None or seat_moving)
                if arrival_pushes.counts:
                    push_over_t = self._push_over_t
                    calm_from_t = math.inf if pushes.state == ACTIVE or coughing else \
                        (push_over_t if push_over_t > coughs.last_spike_t else coughs.last_spike_t) + SPIKE_SETTLE_S
                    resting = lift_state == REST and not lifts.recovering
                    if self.arrival.step(t, dt, seat, y, calm_from_t, pushes.state == NONE and not coughing
                                         and resting, thr.breath_kpa, thr.lift_fall_kpa):
                        arrival_pushes.hold_let_go(self.arrival.floor_kpa, t)   # a lift begun as they moved
                    arrival_lifts = self.arrival_lifts
                    was_open = arrival_lifts.open
                    # (a rise under way as the loads arrive is dropped, and the arrival doubtful, next)
                    lifts_open = arrival_lifts.step(rest, arrival_pushes.doubtful or pushes.state != NONE,
                                                    arrival_pushes.holding_let_go,
                                                    resting and lifts.cross_t < 0.0)
                    if was_open and not lifts_open and not arrival_lifts.taken:
                        lifts.forget_crossing()    # an onset begun from an arrival taken back: the loads'
                    if (not lifts_open and arrival_lifts.taken and lifts.lift is not None
                            and lifts.lift.start >= t - moves.lift_lead_s):
                        lifts.abandon(POSTURE)     # it fell as the loads moved on: their movement's
                        arrival_lifts.drop(rest)
        ref = lifts.ref_kpa if lifts.recovering else rest.baseline_kpa   # (letting go of a residual
        arrival_pushes.choose(still, lift_state == REST and not lifts.recovering, base,   # is no
                              ref if ref > base else base)                               # push)
        push_was = pushes.state
        push_ref = arrival_pushes.ref_kpa
        watch_kpa = WATCH_SHARE * push_kpa
        if push_was != NONE or y - push_ref > watch_kpa:
            pushes.step(t, kpa, y, y_fast, push_ref, rest, push_kpa, arrival_pushes.still, shifting,
                        arrival_pushes.from_t)
            if pushes.state == ACTIVE and push_was != ACTIVE and coughs.start_t >= 0.0:
                coughs.taken_for_push()           # the spike is a push's rise: one action, one event
        arrival_pushes.followed(t, y, push_was, watch_kpa)
        if self._rest_was_held_lift and not arrival_pushes.holding_let_go:     # back, or no longer waited for
            self._rest_was_held_lift = False
            if arrival_pushes.returned_t == t and y - base > thr.lift_level_kpa and moves.event is None:
                rest.baseline_kpa = y     # the lift let go: the level it left is rest (in another
                                          # movement, that one's end moves the baseline by its own)
        push_state = pushes.state
        quiet = (still or lifts_open) and push_state == NONE and not coughing
        push_over_t = self._push_over_t
        calm_t = push_over_t if push_over_t > coughs.last_spike_t else coughs.last_spike_t
        if self._movement_fall_t > calm_t:
            calm_t = self._movement_fall_t
        calm_t += SPIKE_SETTLE_S
        if lifts_open and self.arrival.since_t > calm_t:
            calm_t = self.arrival.since_t           # a fall before the loads came to rest was the movement's
        lifts.step(t, dt, y, rest, thr, quiet, calm_t)
        if lifts_open and lifts.lift is not None and lifts.lift.detected_at == t:
            self.arrival_lifts.lifted()
        if lifts.settled_t == t and lifts.settled_from_kpa - rest.baseline_kpa > push_kpa:
            # a residual that settled below rest became the rest -- or a low floor held, as `lift`'s
            # floor 1, or an over-tense floor's tone: let go, it rises back up to the rest it left,
            # which is no push (one that settled less than a push above cannot pass for one)
            arrival_pushes.hold_let_go(lifts.settled_from_kpa, t)
            self._rest_was_held_lift = True       # back up there, that level is the rest again
            self._rest_left_kpa = lifts.settled_from_kpa
        rest_left_kpa = self._rest_left_kpa
        if rest_left_kpa == rest_left_kpa:        # a low floor held below the rest it left (measured, not a
            if arrival_pushes.let_go_kpa == rest_left_kpa:      # movement's guess): how far it is lifted is
                self.deviation_kpa = y - rest_left_kpa          # measured from there, until let go (or 15 s)
            else:
                self._rest_left_kpa = math.nan
        lift, move = lifts.lift, self._last_move
        if lift is not None and lift.detected_at == t and move is not None \
                and lifts.peak_kpa < MOVED_LEVEL_FALLS * thr.lift_fall_kpa \
                and abs(lift.start - move.start) <= self._lead_s(move):
            # seen only once a movement was over, a shallow fall that began as the movement began:
            # the level the movement left (the rest wanders), not the floor; a deeper one is the
            # floor still held after a squeeze along with it. A lift must fall anew from here
            lifts.abandon(move.kind)
            self._movement_fall_t = t
        held = lift_state in _HOLDING
        self.state = lift_state = lifts.state
        if held and lift_state == RELEASE:
            self.breath_holds.released(t, lifts.peak_kpa)
        elif lifts.split_t == t:                  # a sagged hold ended by a new lift: judged as let go --
            self.breath_holds.released(t, lifts.split_peak_kpa)     # now, over the stay too, whose breaths
                                                                     # make a held breath less likely flagged
                                                                     # (never more: no false warning)
        # the pressure stepping (a push or lift beginning or ending; a hold is steady) is no breath
        if lift_state == REST and lifts.cross_t < 0.0 and lifts.settling is None:
            if push_state != push_was:
                breath.rebase(y)
            if still and push_state == NONE:
                if t >= self._next_stale_t and not lifts.recovering:
                    self._check_stale(t, y)
                rest.follow(d, thr.lift_fall_kpa, dt)       # during a slow recovery too: drift goes on
                if at_rest:
                    rest.learn(d2, d, dt)
                    if t >= self._next_thresholds_t:
                        self._update_thresholds(t)
        elif lift_state != HOLD or lifts.cross_t >= 0.0 or lifts.settling is not None or push_state != push_was:
            breath.rebase(y)
            self._rebased_drop_kpa = lifts.peak_kpa
        elif lifts.peak_kpa > self._rebased_drop_kpa + thr.lift_fall_kpa:
            # held, the lift fell again by as much as a lift falls (a slow rise taken as held before
            # its end, a staircase's next floor): the pressure is stepping, no breath takes it so deep
            breath.rebase(y)
            self._rebased_drop_kpa = lifts.peak_kpa
        return lift_state

    # --- rare paths ---------------------------------------------------------------------
    def _start(self, t: float, kpa: float) -> None:
        """The first sample of a warm-up; or after a gap (`_keep_rest`): the breathing
        learnt is kept and its band starts again, nothing is learnt for `SETTLED_S`, and
        nothing is detected until the pressure is back at rest (`_resyncing`): what was
        under way when the samples came back -- a hold, a push -- began unseen."""
        self._t = self._started_t = t
        self.smooth.reset(kpa)
        self.smooth_fast.reset(kpa)
        self.coughs.reset(kpa)
        if self._keep_rest:
            self._busy_t = self._resync_t = t
            self._resyncing = True
            self.breath.resume(t, kpa)
        else:
            self._t0 = t
            self._learn_from_t = t if self._first_warmup else t + WARMUP_SETTLE_S
            self._first_warmup = False
            self.breath.start(t, kpa)

    def _rewarm(self, t: float, kpa: float) -> None:
        """After a gap the pressure stayed away from rest: the user sat down anew -- or
        holds on: a fresh warm-up from `t`, the rest before kept in case it comes back."""
        kept = (self.rest, self.thresholds)
        self._begin()
        self._kept = kept
        self._start(t, kpa)

    def _back_at_kept_rest(self, t: float, y: float) -> bool:
        """During a warm-up after a gap: the pressure back at the rest before it for
        `RESYNC_CALM_S` (a hold let go) takes that rest back, and detection goes on."""
        rest, thresholds = self._kept
        if not -thresholds.lift_level_kpa < y - rest.baseline_kpa < thresholds.lift_level_kpa:
            self._calm_t = -1.0
            return False
        if self._calm_t < 0.0:
            self._calm_t = t
        if t - self._calm_t < RESYNC_CALM_S:
            return False
        self.rest, self.thresholds = rest, thresholds
        self._kept = None
        self.state = REST
        self._busy_t = t
        self._resume_detection(y)
        return True

    def _resume_detection(self, y: float) -> None:
        """After a gap, at rest again: the cough reference and the breathing band start
        from here (what came back with the samples must not ring through them)."""
        self._resyncing = False
        self.coughs.reset(y)
        self.breath.rebase(y)

    def _finish_warmup(self, t: float, y: float) -> None:
        if self._kept is not None:              # a warm-up after a gap: the new rest, from here
            self._kept = None
            self.coughs.reset(y)
        self.rest.finish_warmup()
        self.breath.end_warmup()
        self._update_thresholds(t)
        self.state = REST

    def _check_stale(self, t: float, y: float) -> None:
        """A resting level that has sat a level threshold away from the baseline for
        `STALE_PERIODS` breaths, with nothing under way, is the rest now (a posture or a push
        misjudged, a slow shift the baseline was too slow for). And where the level sat below
        the baseline for a window and the pressure `y` then fell from it like a lift (by the fall
        threshold within the lift's fall window and the check's interval, to the fall threshold
        below it), the level it sat at is the rest at once: the lift is measured from there as
        from any rest (from the baseline, it began below it and went unseen), and the wait goes
        on until the level is back up there -- a lift held does not become the rest, nor its
        let-go a push."""
        self._next_stale_t = t + STALE_CHECK_S
        period_s = self.thresholds.breath_period_s
        window_s = period_s if period_s < 5.0 else 5.0
        if t - self._busy_t < window_s:                 # only a window of rest tells
            self._stale_since = -1.0
            return
        history = self.slow_history
        mean = history.mean_between(t - window_s, t, self.rest.baseline_kpa)
        level_kpa = self.thresholds.lift_level_kpa
        if abs(mean - self.rest.baseline_kpa) < level_kpa:
            self._stale_since = -1.0
            self._sat_kpa = math.nan
            return
        if self._stale_since < 0.0:
            self._stale_since = t
        span_s = self.lifts.fall_window_s + STALE_CHECK_S
        if t - self._busy_t >= window_s + span_s:       # a window of rest before the span looked at
            # (the slow history keeps 6 s: of a 5 s window before the span, its last 4.7 s)
            sat_kpa = history.mean_between(t - span_s - window_s, t - span_s, mean)
            fell = history.max_since(t - span_s, y) - y > self.thresholds.lift_fall_kpa
            if (fell and y < sat_kpa - self.thresholds.lift_fall_kpa
                    and sat_kpa < self.rest.baseline_kpa - level_kpa
                    and not sat_kpa <= self._sat_kpa):          # (none taken yet: NaN compares false)
                self._sat_kpa = self.rest.baseline_kpa = sat_kpa
                self._rest_unknown_t = -math.inf
                self._stale_since = t
                return
        if self._sat_kpa == self._sat_kpa:              # (NaN: no such fall)
            if mean < self._sat_kpa - level_kpa:        # the lift still held: wait on
                self._stale_since = t
                return
            self._sat_kpa = math.nan
        if t - self._stale_since >= STALE_PERIODS * period_s:
            self.rest.baseline_kpa = mean
            self._rest_unknown_t = -math.inf
            self._stale_since = -1.0

    def _update_thresholds(self, t: float) -> None:
        rest, breath = self.rest, self.breath
        rest.update_noise()
        breath.set_noise(rest.noise_kpa, rest.dt_s)
        self.thresholds.update(rest, breath.size_kpa, breath.period_s)
        self._next_thresholds_t = t + THRESHOLD_EVERY_S

    def _seat_moved(self, event: Event, t: float, y: float) -> None:
        """A glute or posture movement was confirmed (`event.end` None) or is over."""
        pushes = self.pushes
        pushes.cancel()
        arrival = self.arrival
        lifts = self.lifts
        if event.end is None:
            self._read_level_before(event, y)
            lift = lifts.lift
            abandoned = lift is not None and lift.start >= event.start - self._lead_s(event)
            # a lift begun before the movement, under way: which and how deep, should the movement hide it
            self._lift_at_move = lift if not abandoned else None
            self._held_at_move_kpa = lifts.peak_kpa
            if abandoned:
                lifts.abandon(event.kind)      # it was the same movement, not the floor
            elif lifts.state != REST or lifts.recovering or lifts.settling is not None:
                # the floor lifted (or letting go) before the movement: the rest it lifts from is
                # what the movement's change is measured from, not the lifted level
                self._before_move_kpa = self.rest.baseline_kpa
            # a posture begun calm, the floor resting (as far as can be told: no lift just taken for
            # this movement, not below rest as a lift held unseen under a squeeze leaves it): where
            # its loads arrive, its level can be read
            self.arrival_pushes.counts = (
                event.kind == POSTURE and self._calm_before_move and not abandoned
                and lifts.state == REST and not lifts.recovering and lifts.settling is None
                and self._before_move_kpa > self.rest.baseline_kpa - self.thresholds.lift_level_kpa)
            self.arrival.begin(event.start, self._before_move_kpa)
            return
        self._last_move = event
        self._sat_kpa = math.nan            # a new posture: where the level sat before it tells nothing
        arrival_lifts = self.arrival_lifts
        crossing = arrival_lifts.open and lifts.cross_t >= 0.0    # a lift's onset being confirmed
        # a lift taken from the arrival was measured from the level the loads came to, the baseline
        # since: with the loads still there, that is the posture's level; moved on since, the
        # movement's change is measured from it (none taken: the baseline is put back)
        from_lift, lift_taken = arrival_lifts.at_arrival, arrival_lifts.taken
        arrival_lifts.end(self.rest)
        history = self.slow_history
        after = history.mean_between(t - 1.0, t, y)
        settled = history.max_since(t - 1.0, y) - history.min_since(t - 1.0, y) < self.thresholds.lift_fall_kpa
        before = self._before_move_kpa if not lift_taken else self.rest.baseline_kpa
        calm = self._calm_before_move and pushes.state == NONE
        # the loads arrived and have not moved since: the posture's level is the one read over the
        # stretch the floor rested since (seconds: it averages over breaths, as the baseline does, so
        # the baseline is the level before), not the last second's -- a lift or a push since is the floor's
        thr = self.thresholds
        read_at_arrival = (arrival.since_t >= 0.0 and not self.arrival_pushes.doubtful and not from_lift
                           and arrival.span_s >= thr.breath_period_s
                           and arrival.level_kpa > arrival.floor_kpa - thr.lift_level_kpa)
        held = (not read_at_arrival and not from_lift and arrival.since_t >= 0.0
                and after < arrival.level_kpa - thr.lift_level_kpa
                and not math.isnan(history.first_fall(arrival.since_t, t, self.lifts.fall_window_s,
                                                      thr.lift_fall_kpa)))
        lift_at_move, held_at_move_kpa = self._lift_at_move, self._held_at_move_kpa
        self._lift_at_move = None
        # a lift under way as the movement was confirmed, seen to end before the loads had been still
        # for `arrive_s` (the movement's own rise met its fall), with no rise like its let-go since
        # and the level left below the rest it was measured from (let go, the level after would lie
        # off that rest by the movement's own change alone), may be held still: its let-go rises by
        # as much from the level after
        held_through = (event.kind == POSTURE and not held and lifts.state == REST
                        and lift_at_move is not None and lift_at_move.retracted is None
                        and lift_at_move.end is not None
                        and lift_at_move.end < self.seat.still_since_t + self.arrival.arrive_s
                        and held_at_move_kpa > thr.lift_level_kpa and after < before - thr.lift_level_kpa
                        and history.min_since(lift_at_move.end, after) > after - 0.5 * held_at_move_kpa)
        if held_through:
            self.arrival_pushes.hold_let_go(after + held_at_move_kpa, t, after + 0.5 * held_at_move_kpa)
        if held:
            # the floor fell like a lift's since the loads arrived and is still down: a lift held
            # through the movement's end, whose let-go rises to the level they came to (or a push
            # under way as they came, over): no rise up to that level is a push
            self.arrival_pushes.hold_let_go(arrival.ref_kpa, t)
        if read_at_arrival or from_lift:
            after = arrival.level_kpa if read_at_arrival else self.rest.baseline_kpa
            before = self.rest.baseline_kpa
            calm = self._calm_before_move
        arrival.reset()
        self.arrival_pushes.end()
        if event.kind == GLUTE:
            # a squeeze let go: the level should be back where it was (still below, the floor
            # is held, or the rest moved: not known)
            known = calm and settled and abs(after - before) < self.thresholds.lift_level_kpa
        else:
            # the new posture's level is the new rest: move the baseline by what the movement
            # changed (the level a second either side; not when a push or a cough was in the
            # second before, a fall is under way or the level is still moving -- it changed by
            # more than a breath could in that second, the perineum still coming back as the
            # loads already have: the stale-rest check follows a moved level then). A fall seen
            # as the movement began, before the loads counted as moving, was the movement's own;
            # one like a lift's once the loads stood still is the floor's (no onset is taken until
            # the movement is over but from an arrival that could be read: the coach may have asked
            # for a lift), its level no posture's
            cross_t = lifts.cross_t
            falling = cross_t >= 0.0 and abs(cross_t - event.start) > self.moves.lift_lead_s
            if read_at_arrival or from_lift:
                settled, falling = True, False
            elif settled and not falling:          # (a push or a spike going is no lift)
                since_t = max(self.seat.steady_since_t, self._push_over_t + SPIKE_SETTLE_S,
                              self.coughs.last_spike_t + SPIKE_SETTLE_S)
                fell_t = history.first_fall(since_t, t, self.lifts.fall_window_s, self.thresholds.lift_fall_kpa)
                if not math.isnan(fell_t):       # ... and one that came back was a flick
                    falling = after < history.mean_between(fell_t - 1.5, fell_t - 0.5, after) \
                        - self.thresholds.lift_level_kpa
            settled = settled and not falling
            # (a lift held: not the posture's level -- unless taken from the arrival, measured from it)
            known = calm and settled and (lifts.state == REST or from_lift) and not held
            if known and t - self._rest_unknown_t < RE_REST_S:
                self.rest.baseline_kpa = after
            elif known and abs(after - before) >= self.thresholds.lift_level_kpa:
                self.rest.baseline_kpa += after - before
        self._known_after_move = known
        self._rest_unknown_t = -math.inf if known else t
        self._level_after_move_kpa = after if known else math.nan
        # once the let-go awaited comes back up, that level is rest: after a lift held as the loads
        # came to rest (the baseline moved down to the lift's level, maybe), a lift held through a
        # posture's end whose level was not known, or a settle's let-go still held (another
        # movement ended within its 15 s)
        holding = self.arrival_pushes.holding_let_go
        self._rest_was_held_lift = holding and (self._rest_was_held_lift or event.kind == POSTURE and (
            known and after < before - self.thresholds.lift_level_kpa or held))
        if not crossing:
            lifts.forget_crossing()

    @property
    def _push_over_t(self) -> float:
        """When the last push, push candidate, or rise dropped at a posture's arrival was over."""
        ended_t, down_t = self.pushes.ended_t, self.arrival_pushes.down_t
        return ended_t if ended_t > down_t else down_t

    def _lead_s(self, move: Event) -> float:
        """How long before (or after) a movement's start a lift's onset is that movement's."""
        return self.moves.glute_lead_s if move.kind == GLUTE else self.moves.lift_lead_s

    def _read_level_before(self, event: Event, y: float) -> None:
        """The level before a movement confirmed now, read now (a long movement outlasts the
        slow history), and whether it was calm: no push or cough over in the second before,
        no push still under way (one over later, within the movement, is the movement's; a
        spike under way may be the movement's own rise). A movement that goes on
        from the last one (a squeeze let go, read as a shift as its loads come back) starts
        from where that one ended, if that was known."""
        before_s = event.start - POSTURE_BEFORE_S
        last = self._last_move
        if last is not None and last.end >= before_s:
            self._before_move_kpa = self._level_after_move_kpa
            self._calm_before_move = self._known_after_move
            return
        self._before_move_kpa = self.slow_history.mean_between(before_s, event.start - 0.2, y)
        self._calm_before_move = (max(self._push_over_t, self.coughs.last_cough_t) < before_s - SPIKE_SETTLE_S
                                  and self.pushes.state == NONE)

    def _seated_changed(self, t: float) -> None:
        """Standing up ends the analysis until the user sits down again (then a fresh warm-up)."""
        now = self.seated.seated
        if not now:
            self._getting_up(t)
        self.log.raise_(Event(SIT_DOWN if now else STAND_UP, t, t, end=t, completed_at=t))
        if now:
            self._begin()

    def stood_up(self, t: float) -> None:
        """The user stood up at `t`, which the seat may not have shown yet (a recording's
        pause says so, its samples ending as the device saw it): as when the seat shows it."""
        if self.seat is not None and not self.seated.seated:
            return                                  # the seat showed it already
        self.log.begin(t)
        self._getting_up(t)
        self.log.raise_(Event(STAND_UP, t, t, end=t, completed_at=t))

    def _getting_up(self, t: float) -> None:
        # a movement confirmed up to GETTING_UP_LEAD_S before the load fell (the seat confirms
        # standing, now, SEAT_CONFIRM_S after that): up to GETTING_UP_S before now
        moving = self.moves.event
        if moving is not None and moving.detected_at >= t - GETTING_UP_S:
            self.log.retract(moving, STAND_UP)    # that was getting up, not a glute or posture

    # --- end of stream -------------------------------------------------------------------
    def open_events(self) -> list[Event]:
        """Events raised but not yet complete (their `end` is None)."""
        return [e for e in (self.lifts.lift, self.lifts.settling, self.pushes.push, self.moves.event,
                            self.breath_holds.hold) if e is not None and e.completed_at is None]
