"""Contractions: a lift draws the perineum up, so the pressure falls below rest.

States: REST -> LIFT (falling) -> HOLD -> RELEASE -> REST, the residual then measured
while the pressure settles. All levels are drops below the reference (the baseline, or
while the floor is still recovering from an incomplete relaxation, where it has got to),
in kPa, compared with thresholds that are multiples of what rest looks like.

- **Onset**: the smoothed pressure fell by more than the fall threshold within
  `fall_window_s` (breathing, wander and drift move slower) to more than the level
  threshold below the reference (below a resting breath's trough), stays there for
  `confirm_s`, and the seat is still. A slower lift counts once the pressure has stayed
  below the level threshold for longer than a breath's trough lasts
  (`SLOW_CONFIRM_PERIODS` breath periods, at least `slow_confirm_s`), is `SLOW_DEPTH` times
  as far below, and on its way there fell by the fall threshold within `slow_window_s` (2.5 s:
  a programme gives a lift 2 s to rise; wander and drift, left below rest after a release, fall
  as far only slower). A seat movement over forgets such a fall (it was the movement's).
  While the pressure is still falling (`FALLING_NOW_S`, `FALLING_WAIT_S` at most) the slow
  path waits: fallen from where it dwelt as a quick lift falls, it is a lift begun at the
  end of a long exhale's trough, and timed from that fall. An onset is never after its detection.
  The onset is backdated to where the fall began, extrapolated from the times it passed
  20 % and 50 % of the fall (a span of at most `ONSET_SPAN_S`), less the smoothing's delay.
- **Hold**: the drop stops growing for `hold_after_s`; from then the held level is
  followed slowly (`hold_tau_s`), so fatigue is not a release.
- **Release**: the drop stays below `release_fraction` of the peak (while lifting) or of
  the held level for `release_confirm_s` -- or below that share of the peak after a quick
  rise of `PARTIAL_RELEASE_SHARE` of it within a second (a partial let-go), or of
  `SLOW_RELEASE_SHARE` within `SLOW_RELEASE_S` that does not come back above it by
  `SLOW_RELEASE_BACK` of the peak for `SLOW_RELEASE_STAY` breath periods (a slow let-go,
  which the held level would otherwise follow down as if it were fatigue -- fatigue is
  several times slower; a slow deep inhale on a weak hold rises as much, but falls back
  within half a breath).
- **End**: the pressure is back within the relaxation band, or it has stopped rising
  for `plateau_s` (an incomplete relaxation: the rest is the residual).
- **A new lift in a sagged hold**: a hold that tired and was let go slowly to a residual may
  never be seen to release (the held level follows it down, as it follows fatigue). When the
  level has stayed up, within `release_fraction` of the peak, for `SAGGED_PERIODS` breath
  periods (longer than an inhale, a sigh or a cough stays up there) and then falls as a lift
  does (by the fall threshold within `fall_window_s`) to the level threshold below the lowest
  it was up there (deeper than that stay's own breaths), it is a new lift: the contraction
  ended where the level first came within half the level threshold of that stay's mean (its
  residual), and the new one begins with the fall (`split_t`). That stay was rest: the baseline
  follows it then as it follows rest (`_follow_stay`), and the new lift is measured from there.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right

from session.detectability import SMOOTH_TAU_S
from session.events import CONTRACTION, Event, EventLog
from session.filters import History
from session.rest import RestTracker, Thresholds

REST, LIFT, HOLD, RELEASE = 1, 2, 3, 4
PARTIAL_RELEASE_SHARE = 0.3    # a let-go that rose this share of the peak within a second
SLOW_RELEASE_S = 3.0           # ... or this share of it within this long: a slow let-go (the held level
SLOW_RELEASE_SHARE = 0.5       # follows it down, so "below half the held level" never comes; fatigue
                               # loses at most about a tenth of the peak in 3 s) ...
SLOW_RELEASE_STAY = 0.5        # ... that stays below half the peak for this many breath periods (a slow,
                               # deep inhale on a weak hold rises as much, but is over by then) ...
SLOW_RELEASE_BACK = 0.1        # ... and not back above half the peak by this share of it (a breath on a
                               # residual near half the peak moves it across and back)
ONSET_EXTRAPOLATION = 2.0      # a smooth fall reaches 50 % about this many 20-50 % spans after it began
ONSET_SPAN_S = 0.45            # ... a span at most this long: a lift rising over the 2 s a programme gives it
                               # (`rise_s`) passes 20-50 % in 0.43 s; a longer one is the level dwelling on its
                               # way down (wander, a breath, a held inhale), and extrapolated, backdates seconds
SLOW_AFTER_LOUD_S = 4.0        # a slow lift's fall may have come while an onset could not be taken (the
                               # seat moving, a push, a spike): for this long after, it is looked for over as long
SLOW_CONFIRM_PERIODS = 0.35    # below the level threshold longer than a breath's trough lasts ...
SLOW_DEPTH = 1.5               # ... and this far below it: a slow lift
FALLING_NOW_S = 0.2            # a slow lift is not taken while the pressure is still falling -- by more than
FALLING_NOISE_K = 4.0          # this many noise sds over this long -- for FALLING_WAIT_S at most (a movement
FALLING_WAIT_S = 0.4           # beginning meanwhile would hide it): where it comes to tells a quick lift begun
                               # at the end of an exhale's dwell (timed from its own fall, from where the level
                               # dwelt) from a slow one (timed from its slow fall)
SETTLED_SHARE = 0.25           # coming back by less than this share of the level threshold in a breath: settled
SAGGED_PERIODS = 1.0           # a hold up within half its peak this many breath periods, then a lift's fall:
                               # a new lift


class LiftDetector:
    __slots__ = ("log", "history", "slow_history", "confirm_s", "fall_window_s", "slow_window_s",
                 "slow_confirm_s", "hold_after_s", "hold_tau_s", "release_fraction", "release_confirm_s",
                 "plateau_s", "recovery_tau_s", "settle_s", "max_lift_s", "trace_every_s", "max_drop_kpa",
                 "state", "lift", "settling", "recovering", "ref_kpa", "settled_t", "settled_from_kpa", "cross_t",
                 "_trace_t", "_trace_drop",
                 "_trace_size", "_ref_mark", "_below_since", "_slow_before", "_falling_since_t", "_dwelt_kpa", "_rest_before_kpa", "_loud_t", "_onset", "_before", "_next_check_t",
                 "_quick_rise", "_slow_since", "_peak", "_hold", "_t_peak", "_release_since", "_plateau_since",
                 "_recover_since", "_settle_until", "_settle_sum", "_settle_n", "_n_trace", "_next_trace_t",
                 "split_t", "split_peak_kpa", "_up_since", "_up_low_kpa", "_up_drop_sum_kpa", "_up_n",
                 "_was_up_since", "_was_up_until", "_was_up_low_kpa", "_was_up_mean_drop_kpa", "_was_up_peak_kpa",
                 "_was_up_t_peak")

    def __init__(self, log: EventLog, history: History, slow_history: History, *, confirm_s: float = 0.05,
                 fall_window_s: float = 0.8, slow_window_s: float = 2.5, slow_confirm_s: float = 0.8, hold_after_s: float = 0.15, hold_tau_s: float = 1.5,
                 release_fraction: float = 0.5, release_confirm_s: float = 0.2, plateau_s: float = 0.3,
                 recovery_tau_s: float = 3.0, settle_s: float = 1.0,
                 max_lift_s: float = 120.0, trace_every_s: float = 0.04) -> None:
        self.log = log
        self.history = history
        self.slow_history = slow_history
        self.confirm_s = confirm_s
        self.fall_window_s = fall_window_s
        self.slow_window_s = slow_window_s
        self.slow_confirm_s = slow_confirm_s
        self.hold_after_s = hold_after_s
        self.hold_tau_s = hold_tau_s
        self.release_fraction = release_fraction
        self.release_confirm_s = release_confirm_s
        self.plateau_s = plateau_s
        self.recovery_tau_s = recovery_tau_s
        self.settle_s = settle_s
        self.max_lift_s = max_lift_s
        self.trace_every_s = trace_every_s
        self._trace_size = n_trace = int(max_lift_s / trace_every_s) + 16
        self._trace_t = array("d", bytes(8 * n_trace))
        self._trace_drop = array("d", bytes(8 * n_trace))
        self.max_drop_kpa: float | None = None
        self.reset()

    def reset(self) -> None:
        """Forget any lift under way (a pause, or standing up)."""
        self.state = REST
        self.lift: Event | None = None        # the contraction under way
        self.settling: Event | None = None    # ended, its residual still being measured
        self.recovering = False               # the reference (`ref_kpa`) is still coming back to the baseline
        self.ref_kpa = self._ref_mark = 0.0
        self.settled_t = -1.0                 # when a recovery last settled elsewhere: the baseline moved ...
        self.settled_from_kpa = 0.0           # ... down from this level (the rest before the lift) to where it settled
        self._rest_before_kpa = 0.0           # the baseline when the last lift began
        self.cross_t = -1.0                   # >= 0: a possible onset is being confirmed (since then)
        self._below_since = -1.0
        self._slow_before = math.nan          # where a slow lift fell from quickly enough (NaN: not seen)
        self._falling_since_t = -1.0          # >= 0: a slow lift's depth reached while still falling, since then ...
        self._dwelt_kpa = 0.0                 # ... from where the level dwelt before that fall
        self._loud_t = -1e9                   # when an onset could last not be taken (not quiet)
        self._onset = self._before = 0.0
        self._next_check_t = -1.0
        self._quick_rise = False
        self._slow_since = -1.0               # >= 0: a slow let-go seen (since then), if the level stays there
        self._peak = self._hold = 0.0
        self._t_peak = self._release_since = self._plateau_since = self._recover_since = -1.0
        self._settle_until = self._settle_sum = 0.0
        self._settle_n = 0
        self._n_trace = 0
        self._next_trace_t = 0.0
        self.split_t = -1.0                   # when a sagged hold was last found to be a new lift ...
        self.split_peak_kpa = 0.0             # ... and how far the one it ended had dropped
        self._forget_up()

    def _forget_up(self) -> None:
        """No stay of the level up within half the peak, under way or just over, is known."""
        self._up_since = self._was_up_since = self._was_up_until = -1.0
        self._up_low_kpa = self._was_up_low_kpa = math.inf
        self._up_drop_sum_kpa = self._was_up_mean_drop_kpa = self._was_up_peak_kpa = self._was_up_t_peak = 0.0
        self._up_n = 0

    @property
    def peak_kpa(self) -> float:
        """How far the lift under way (or the last one) has dropped below rest at most."""
        return self._peak

    # --- the per-sample path ----------------------------------------------------------
    def step(self, t: float, dt: float, y: float, rest: RestTracker, thr: Thresholds, quiet: bool,
             calm_since_t: float) -> None:
        """One sample of the smoothed pressure `y`; `quiet`: no push or spike under way, the
        seat still (an onset may be taken); `calm_since_t`: when the last push or spike was
        over (a fall from before then is that movement going, not a lift). Moves `rest.baseline_kpa` when the resting
        level itself has moved (a "lift" that never ends, a relaxation that never comes back)."""
        if self.state != REST:
            self._under_way(t, dt, y, rest, thr)
            if self.state == HOLD and self._was_up_since >= 0.0 and quiet:
                self._sagged_then_lifted(t, y, rest, calm_since_t, thr)
            return
        if not quiet:
            self._loud_t = t
        base = rest.baseline_kpa
        if self.settling is not None:
            self._settle_sum += base - y
            self._settle_n += 1
            if t >= self._settle_until:
                self._finish(t)
        ref = base
        if self.recovering:
            if quiet:       # a seat movement, a push or a spike is not the level coming back
                tau = thr.breath_period_s if thr.breath_period_s > self.recovery_tau_s else self.recovery_tau_s
                self.ref_kpa += (y - self.ref_kpa) * (dt / (tau + dt))     # a breath's mean, not its phase
            ref = self.ref_kpa
            if ref >= base - 0.5 * thr.lift_level_kpa:
                self.recovering = False
            elif not quiet:     # the once-a-breath judgement below starts again after it
                self._ref_mark = ref
                self._recover_since = t
            elif t - self._recover_since >= thr.breath_period_s:    # once a breath: still coming back?
                if abs(ref - self._ref_mark) < SETTLED_SHARE * thr.lift_level_kpa:
                    self.recovering = False   # settled elsewhere: the resting level itself has moved
                    rest.baseline_kpa = ref
                    self.settled_t = t       # (the rest may have followed the recovery down a little)
                    self.settled_from_kpa = base if base > self._rest_before_kpa else self._rest_before_kpa
                self._ref_mark = ref
                self._recover_since = t
        d = y - ref
        level = thr.lift_level_kpa
        if d >= -level:
            self.cross_t = -1.0
            if d >= -0.5 * level:                         # clearly back: a slow lift's dwell is over
                self._below_since = -1.0
                self._forget_slow_fall()
            return
        if self._below_since < 0.0:
            self._below_since = t
        if self.cross_t < 0.0:
            if not quiet or t < self._next_check_t:
                return
            self._next_check_t = t + 0.02
            top = ref + thr.lift_level_kpa                # an inhale's top: falling from higher is a
            if self._fell(self.history, t, t - self.fall_window_s, calm_since_t, top, y, thr):
                return                                    # push or a spike going, not a lift
            if math.isnan(self._slow_before):               # not yet fallen quickly enough for a slow lift?
                window_s = self.slow_window_s if t - self._loud_t > SLOW_AFTER_LOUD_S else SLOW_AFTER_LOUD_S
                self._slow_before = self._fallen_from(self.slow_history, t - window_s, calm_since_t, top, y, thr)
            slow_s = max(self.slow_confirm_s, SLOW_CONFIRM_PERIODS * thr.breath_period_s)
            if not self.recovering and t - self._below_since >= slow_s \
                    and d < -SLOW_DEPTH * thr.lift_level_kpa and not math.isnan(self._slow_before):
                history = self.history
                if (self._falling_since_t < 0.0 or t - self._falling_since_t < FALLING_WAIT_S) \
                        and history.max_since(t - FALLING_NOW_S, y) - y >= FALLING_NOISE_K * thr.noise_y_kpa:
                    if self._falling_since_t < 0.0:          # still falling: wait (a little) for where
                        self._falling_since_t = t            # it comes to, from where it dwelt
                        self._dwelt_kpa = history.max_since(t - 2.0 * FALLING_NOW_S, y)
                    return
                self._before, onset_history = self._slow_before, self.slow_history
                if self._falling_since_t >= 0.0 and self._dwelt_kpa - y >= thr.lift_fall_kpa:
                    self._before, onset_history = self._dwelt_kpa, history   # a quick lift's fall from there
                self._onset = self._began(onset_history, y, t)
                self._start(t, base, y)                     # held below longer than a breath's trough
        elif t - self.cross_t >= self.confirm_s and quiet:
            self._onset = self._began(self.history, y, t)
            self._start(t, base, y)

    def _under_way(self, t: float, dt: float, y: float, rest: RestTracker, thr: Thresholds) -> None:
        """A sample in LIFT, HOLD or RELEASE."""
        state = self.state
        drop = rest.baseline_kpa - y
        if t >= self._next_trace_t and self._n_trace < self._trace_size:
            n = self._n_trace
            self._trace_t[n] = t
            self._trace_drop[n] = drop
            self._n_trace = n + 1
            self._next_trace_t = t + self.trace_every_s
        if state == RELEASE:
            self._release(t, y, drop, thr)
            return
        peak = self._peak
        if drop > peak:
            self._peak = peak = drop
            self._t_peak = t
        if state == LIFT:
            level = peak
            if t - self._t_peak >= self.hold_after_s:
                self.state = HOLD
                self._hold = drop if drop > 0.0 else 0.0
        else:
            self._hold += (drop - self._hold) * (dt / (self.hold_tau_s + dt))
            level = self._hold
            if drop <= self.release_fraction * peak:      # up within half the peak: a sag, or a let-go
                if self._up_since < 0.0:
                    self._up_since, self._up_low_kpa, self._up_drop_sum_kpa, self._up_n = t, y, 0.0, 0
                if y < self._up_low_kpa:
                    self._up_low_kpa = y
                self._up_drop_sum_kpa += drop
                self._up_n += 1
            elif self._up_since >= 0.0:                     # down again: remember that stay (the
                if t - self._up_since >= SAGGED_PERIODS * thr.breath_period_s:   # fall may be a lift's)
                    self._was_up_since, self._was_up_until = self._up_since, t
                    self._was_up_low_kpa = self._up_low_kpa
                    self._was_up_mean_drop_kpa = self._up_drop_sum_kpa / self._up_n
                    self._was_up_peak_kpa, self._was_up_t_peak = peak, self._t_peak     # (a lift may go deeper)
                self._up_since = -1.0
        letting_go = drop < self.release_fraction * level
        if letting_go or drop >= (self.release_fraction + SLOW_RELEASE_BACK) * peak:
            self._slow_since = -1.0                      # back up: that was a breath, not a let-go
        if not letting_go and drop < self.release_fraction * peak:   # a partial or slow release:
            if t >= self._next_check_t:                               # below half the peak by a rise
                self._next_check_t = t + 0.05
                self._quick_rise = y - self.history.min_since(t - 1.0, y) >= PARTIAL_RELEASE_SHARE * peak
                if self._slow_since < 0.0 and \
                        y - self.slow_history.min_since(t - SLOW_RELEASE_S, y) >= SLOW_RELEASE_SHARE * peak:
                    self._slow_since = t
            letting_go = self._quick_rise or (
                self._slow_since >= 0.0 and t - self._slow_since >= SLOW_RELEASE_STAY * thr.breath_period_s)
        if letting_go:
            if self._release_since < 0.0:
                self._release_since = t
            elif t - self._release_since >= self.release_confirm_s:
                self.state = RELEASE
                self._plateau_since = t
        else:
            self._release_since = -1.0
        if t - self.lift.start > self.max_lift_s:       # a new resting level, not a hold
            rest.baseline_kpa = y
            self._end(t, t, y)

    def _sagged_then_lifted(self, t: float, y: float, rest: RestTracker, calm_since_t: float,
                            thr: Thresholds) -> None:
        """After a long stay up within half the peak (`_was_up_*`), a lift's quick fall to below
        that stay's breaths: end the contraction where the level first came within half the level
        threshold of that stay's mean, with its own peak and that mean as its residual, and begin
        a new one -- measured from the rest as it has followed that stay (`_follow_stay`)."""
        if t - self._was_up_until > self.fall_window_s:       # the fall from up there took too long
            self._was_up_since = -1.0
            return
        since_t = t - self.fall_window_s
        before = self.history.max_since(since_t if since_t > calm_since_t else calm_since_t, y)
        if before - y < thr.lift_fall_kpa or y > self._was_up_low_kpa - thr.lift_level_kpa:
            return
        self._peak, self._t_peak = self._was_up_peak_kpa, self._was_up_t_peak   # its own, not the new lift's
        self.split_t, self.split_peak_kpa = t, self._peak
        ended_t = self._was_up_since                 # it ended where the level came to that stay's mean
        settled_kpa = self._was_up_mean_drop_kpa + 0.5 * thr.lift_level_kpa
        times, drops = self._trace_t, self._trace_drop
        for i in range(self._n_trace):
            if times[i] >= self._was_up_since and drops[i] <= settled_kpa:
                ended_t = times[i] if times[i] < self._was_up_until else self._was_up_until
                break
        self._before = before
        onset = self._began(self.history, y, t)
        self._onset = onset if onset > ended_t else ended_t
        self._follow_stay(rest, ended_t, self._onset, thr)
        n = self._n_trace                                             # its metrics: up to its end
        while n and times[n - 1] > ended_t:
            n -= 1
        self._n_trace = n
        self._end(t, ended_t, y)
        self._settle_sum, self._settle_n = self._was_up_mean_drop_kpa, 1     # its residual: the stay's mean drop
        self._start(t, rest.baseline_kpa, y)

    def _follow_stay(self, rest: RestTracker, from_t: float, until_t: float, thr: Thresholds) -> None:
        """The stay from `from_t` to `until_t`, found only now to have been the floor let go, was
        rest: the baseline follows it as it follows the pressure at rest (`RestTracker.follow`: a
        far-off level, a cough or a shift in it too, only slowly), replayed from the contraction's
        trace (drops from the baseline as it stood through the contraction). Else, while one hold
        after another is found let go only as the next lift falls, the baseline stands still for as
        long, each lift counts from further off, and a cushion losing air reads as a lift held ever
        deeper: an over-tense floor letting go slowly, in 4 of 40 sessions of `basis` seen from a
        baseline 0.6 kPa off by the end, was 'not let go' 29-30 times in 30."""
        times, drops = self._trace_t, self._trace_drop
        held_from_kpa = rest.baseline_kpa            # the drops were measured from here
        step_kpa = thr.lift_fall_kpa
        last_t = from_t
        for i in range(bisect_right(times, from_t, 0, self._n_trace), self._n_trace):   # (times rise)
            at_t = times[i]
            if at_t >= until_t:
                break
            rest.follow(held_from_kpa - drops[i] - rest.baseline_kpa, step_kpa, at_t - last_t)
            last_t = at_t

    def _fell(self, history: History, t: float, since_t: float, calm_since_t: float, top: float, y: float,
              thr: Thresholds) -> bool:
        """Did the pressure fall to `y` by at least the fall threshold since `since_t`?
        If so, it is a crossing: remember where it fell from."""
        before = self._fallen_from(history, since_t, calm_since_t, top, y, thr)
        if math.isnan(before):
            return False
        self.cross_t = t
        self._before = before
        return True

    @staticmethod
    def _fallen_from(history: History, since_t: float, calm_since_t: float, top: float, y: float,
                     thr: Thresholds) -> float:
        """Where the pressure fell to `y` from, by at least the fall threshold, since `since_t`
        (and the last push or spike) -- from rest, not from far below it; NaN if it did not."""
        before = history.max_since(since_t if since_t > calm_since_t else calm_since_t, y)
        if before > top:
            before = top
        if before - y < thr.lift_fall_kpa:          # got here slowly: breathing, drift or wander
            return math.nan
        if before < top - 2.0 * thr.lift_level_kpa:  # it did not fall from rest: the rest is elsewhere
            return math.nan
        return before

    def _began(self, history: History, y: float, t: float) -> float:
        """Where the fall began: extrapolated back from its 20 % and 50 % points."""
        fall = self._before - y
        t20 = history.last_time_at_or_above(y + 0.8 * fall, t)
        t50 = history.last_time_at_or_above(y + 0.5 * fall, t)
        span = min(max(t50 - t20, 0.0), ONSET_SPAN_S)
        onset = t50 - ONSET_EXTRAPOLATION * span - SMOOTH_TAU_S
        return onset if onset < t else t          # (a fall older than the history: no later than now)

    def _release(self, t: float, y: float, drop: float, thr: Thresholds) -> None:
        if drop <= max(0.5 * thr.lift_level_kpa, 0.05 * self._peak):
            self._end(t, t, y)
            return
        if t - self._plateau_since < self.plateau_s:
            return
        rise = y - self.history.min_since(t - self.plateau_s, y)
        if rise < 4.0 * thr.noise_y_kpa + 0.03 * self._peak:   # stopped rising: incomplete relaxation
            self._end(t, t - self.plateau_s, y)

    def _forget_slow_fall(self) -> None:
        """No fall a slow lift could have come from is known (nor one still under way)."""
        self._slow_before = math.nan
        self._falling_since_t = -1.0

    # --- transitions (rare: allocation is fine here) ----------------------------------
    def _start(self, t: float, base: float, y: float) -> None:
        drop = base - y
        self._rest_before_kpa = base
        if self.settling is not None:
            self._finish(t)
        self.lift = self.log.raise_(Event(CONTRACTION, self._onset, t))
        self.state = LIFT
        self.recovering = False
        self._peak = drop
        self._t_peak = t
        self.cross_t = self._release_since = -1.0
        self._forget_slow_fall()
        self._forget_up()
        self._n_trace = 0
        self._next_trace_t = t

    def _end(self, t: float, end: float, y: float) -> None:
        """The release is over at `end`: back to rest; the residual settles for `settle_s`."""
        event = self.lift
        event.end = end
        self.lift = None
        self.settling = event
        self._settle_until = t + self.settle_s
        self._settle_sum = 0.0
        self._settle_n = 0
        self.recovering = True
        self._recover_since = t
        self.ref_kpa = self._ref_mark = y
        self.cross_t = -1.0
        self.state = REST

    def _finish(self, t: float) -> None:
        """Metrics are final: the residual is the mean drop since the end."""
        event = self.settling
        residual_kpa = max(0.0, self._settle_sum / self._settle_n) if self._settle_n else 0.0
        event.metrics = self._metrics(event, residual_kpa)
        self.settling = None
        self.log.complete(event)

    def forget_crossing(self) -> None:
        """A possible onset seen during a seat movement is not one (nor a fall seen as it began)."""
        self.cross_t = -1.0
        self._forget_slow_fall()

    def abandon(self, what: str) -> None:
        """The lift under way was not the floor (`what`: glute, posture): retract it."""
        if self.lift is not None:
            self.log.retract(self.lift, what)
        self.lift = None
        self._forget_slow_fall()
        self.state = REST
        self.cross_t = -1.0

    def _metrics(self, event: Event, residual_kpa: float) -> dict:
        """Contraction metrics from the decimated trace (see README for definitions)."""
        peak = self._peak
        times, drops = self._trace_t, self._trace_drop
        reach = first_half = last_half = None
        for i in range(self._n_trace):
            if drops[i] >= 0.9 * peak and reach is None:
                reach = times[i]
            if drops[i] >= 0.5 * peak:
                if first_half is None:
                    first_half = times[i]
                last_half = times[i]
        reach = self._t_peak if reach is None else reach
        first_half = event.detected_at if first_half is None else first_half
        last_half = first_half if last_half is None else last_half
        return {
            "peak_drop_kpa": peak,
            "peak_pct_max": None if not self.max_drop_kpa else 100.0 * peak / self.max_drop_kpa,
            "time_to_peak_s": max(0.0, reach - event.start),
            "hold_s": last_half - first_half,
            "release_s": max(0.0, event.end - last_half),
            "residual_kpa": residual_kpa,
            "relaxed_pct": 100.0 * (1.0 - residual_kpa / peak) if peak > 0 else None,
        }
