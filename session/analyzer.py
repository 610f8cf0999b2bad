"""The streaming analysis: one perineal sample in, the floor's state and events out.

Causal and O(1) per sample (no look-ahead, no whole-array passes, nothing allocated
on the per-sample path), cheap enough for a Pi Zero 2 W at 250 Hz. Works on uneven
sample spacing: every filter coefficient comes from the actual time step.

Signal chain, all in kPa on the perineal channel (a lift lowers it, a push raises it):

1. `y`: the pressure smoothed with a one-pole low-pass (`fast_tau_s`), and `slope`,
   its rate of change smoothed again (`slope_tau_s`).
2. Warm-up (`warmup_s` of the quiet start): the rest baseline is the mean, and the
   rest deviation (breathing + noise) and the rest slope level are measured.
3. The baseline then follows slow drift with `baseline_tau_s`, but only while the
   floor rests and the pressure is near it -- never during a lift, a push, or the
   recovery after an incomplete relaxation -- so contractions cannot drag it.
   The rest deviation and slope level keep adapting the same way; the thresholds
   are multiples of them (with floors), so deep breathing does not look like a lift.
4. A **contraction** starts when the pressure stays `lift_k` rest deviations below
   the reference for `lift_confirm_s`; its onset is backdated to where the fast fall
   began. It holds until it stays above half its peak drop for `release_confirm_s`,
   and ends when the pressure is back near the baseline or stops rising (a plateau:
   incomplete relaxation, reported as the residual).
5. A **bear-down** is raised when the pressure stays above the push threshold for
   `push_confirm_s` and is not collapsing: a cough -- a sharp spike that is already
   falling fast -- is dropped, a sustained push is raised within a few tenths of a
   second of its start.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from session.breathing import BreathTracker
from session.events import (BEAR_DOWN, BREATH_HOLD, COMPLETED, CONTRACTION, COUGH, GLUTE, POSTURE,
                            RAISED, RETRACTED, SIT_DOWN, STAND_UP, Event, Notice)
from session.seat import SeatDetector, SeatTracker

WARMUP, REST, LIFT, HOLD, RELEASE = range(5)
STATE_NAMES = ("warmup", "rest", "lift", "hold", "release")

_PUSH_NONE, _PUSH_CANDIDATE, _PUSH_ACTIVE = range(3)


@dataclass(frozen=True)
class AnalyzerParams:
    warmup_s: float = 6.0
    fast_tau_s: float = 0.03          # smoothing of the pressure
    slope_tau_s: float = 0.05         # smoothing of its rate of change
    baseline_tau_s: float = 10.0      # how fast the baseline follows drift at rest
    rest_tau_s: float = 20.0          # how fast the rest deviation estimates adapt
    min_lift_kpa: float = 0.08        # lift threshold floor
    lift_k: float = 3.0               # lift threshold in rest deviations
    min_slope_kpa_s: float = 0.08     # onset slope threshold floor
    slope_k: float = 2.5              # onset slope threshold in rest slope levels
    lift_confirm_s: float = 0.10
    release_fraction: float = 0.5     # release: the drop falls below this share of the peak
    release_confirm_s: float = 0.25
    end_plateau_s: float = 0.3        # release over: the pressure stopped rising this long
    recovery_tau_s: float = 3.0       # reference level after an incomplete relaxation
    recovery_max_s: float = 15.0      # not back by then: the resting level itself has moved
    settle_s: float = 1.0             # the residual is the mean drop over this after the end
    min_push_kpa: float = 0.2         # bear-down threshold floor
    push_k: float = 3.0               # bear-down threshold in rest deviations
    push_confirm_s: float = 0.15      # a cough has collapsed by then, a push has not
    push_keep_fraction: float = 0.85  # a push still holds this share of its peak when raised
    push_sustain_s: float = 0.5       # above the threshold this long: a push whatever its shape
    push_end_s: float = 0.2
    push_refractory_s: float = 0.5    # no lift onset while the pressure falls back after a spike
    onset_delay_s: float = 0.06       # filter delay taken off backdated onsets
    max_push_s: float = 30.0          # longer "pushes" are a new resting level: re-baseline
    max_lift_s: float = 120.0
    trace_every_s: float = 0.04       # decimated trace of a contraction, for its metrics
    seat_confirm_s: float = 0.2       # the sitting-bone loads off rest this long: glute or posture
    seat_lift_lead_s: float = 0.7     # a lift starting this much before the seat moved is the same move
    seat_end_s: float = 0.3           # ... and back (or settled) this long: it is over
    glute_balance: float = 0.4        # glute: the smaller side unloads at least this share of the larger
    cough_min_kpa: float = 0.4        # cough: a spike above the local level of at least this ...
    cough_k: float = 6.0              # ... and this many rest deviations
    cough_max_s: float = 0.6          # ... that is over within this
    cough_tau_s: float = 0.5          # the local level a spike stands out from


class Analyzer:
    """Feed `step(t_s, kpa)` with increasing times; read `state`, `deviation_kpa`, `events`.

    `notices` lists what happened to events in the latest `step()` (raised, completed,
    retracted); it is emptied at the start of the next one. `events` keeps every event
    ever raised, retracted ones included.
    `max_drop_kpa` is the user's maximal lift, when known, for % of maximum.
    `seat`: a SeatTracker the caller steps with the sitting-bone loads before each
    `step()`; with it the analysis also tells buttocks and posture from the floor, and
    sitting down from standing up.
    """

    def __init__(self, params: AnalyzerParams = AnalyzerParams(), *,
                 max_drop_kpa: float | None = None,
                 seat: SeatTracker | None = None) -> None:
        self.p = params
        self.seat = seat
        self.seated = SeatDetector(seated=True)
        self.breath = BreathTracker()
        self._seat_event: Event | None = None
        self._seat_since = -1.0
        self._seat_quiet_since = -1.0
        self._breath_hold: Event | None = None
        self._cough_ref = 0.0
        self._cough_start = -1.0
        self._cough_peak = 0.0
        self._cough_peak_raw = 0.0
        self.max_drop_kpa = max_drop_kpa
        self.notices: list[Notice] = []
        self.events: list[Event] = []
        self.state = WARMUP
        self.baseline_kpa = 0.0
        self.deviation_kpa = 0.0
        self.pushing = False
        self.samples = 0
        self.rest_dev_kpa = 0.0
        self.rest_slope_kpa_s = 0.0
        self._t = 0.0
        self._t0 = 0.0
        self._y = 0.0
        self._slope = 0.0
        self._sum = self._sum2 = self._sum_slope = 0.0
        self._n_warm = 0
        self._lift_thr = self._slope_thr = self._push_thr = 0.0
        self._falling = self._rising = False
        self._fall_start = self._rise_start = 0.0
        # contraction
        self._cross_t = -1.0
        self._onset = 0.0
        self._lift: Event | None = None
        self._peak = 0.0
        self._t_peak = 0.0
        self._release_since = -1.0
        self._plateau_since = -1.0
        self._recovering = False
        self._recover_since = 0.0
        self._ref = 0.0
        self._settling: Event | None = None
        self._settle_until = 0.0
        self._settle_sum = 0.0
        self._settle_n = 0
        n_trace = int(params.max_lift_s / params.trace_every_s) + 16
        self._trace_t = array("d", bytes(8 * n_trace))
        self._trace_drop = array("d", bytes(8 * n_trace))
        self._n_trace = 0
        self._next_trace_t = 0.0
        # bear-down
        self._push_state = _PUSH_NONE
        self._push: Event | None = None
        self._push_t = 0.0
        self._push_max = 0.0
        self._push_start = 0.0
        self._push_below = -1.0
        self._last_high_t = -1e9

    def restart(self) -> None:
        """Warm up afresh, keeping the events so far: after a pause the user sits down
        again on a new resting level (and an event left open then is abandoned)."""
        events, notices = self.events, self.notices
        self.__init__(self.p, max_drop_kpa=self.max_drop_kpa, seat=self.seat)
        self.events, self.notices = events, notices

    # --- the per-sample path ------------------------------------------------------------
    def step(self, t: float, kpa: float) -> int:
        """Process one sample; returns the contraction state (WARMUP, REST, LIFT, HOLD, RELEASE)."""
        p = self.p
        seat = self.seat
        if self.notices:
            self.notices.clear()
        if seat is not None and not self._check_seated(t):
            return self.state
        if self.samples == 0:
            self._t0 = self._t = t
            self._y = self._cough_ref = kpa
            self.samples = 1
            self._accumulate_warmup(kpa, 0.0)
            return WARMUP
        dt = t - self._t
        self._t = t
        self.samples += 1
        if dt > 0.5:            # a gap in the recording: don't let the filters jump
            dt = 0.5
        y_prev = self._y
        y = y_prev + (kpa - y_prev) * (dt / (p.fast_tau_s + dt))
        slope = self._slope + ((y - y_prev) / dt - self._slope) * (dt / (p.slope_tau_s + dt))
        self._y = y
        self._slope = slope
        if self.state == WARMUP:
            self._accumulate_warmup(y, slope)
            if t - self._t0 >= p.warmup_s:
                self._finish_warmup()
            return WARMUP

        base = self.baseline_kpa
        d = y - base
        self.deviation_kpa = d
        self._step_cough(t, kpa, dt)
        breath = self.breath
        breath.step(t, kpa, self.state == REST and self._push_state == _PUSH_NONE and not self._recovering
                    and self._settling is None)
        if (breath.holding and LIFT <= self.state <= HOLD
                and breath.hold_start >= self._lift.start - breath.period_s) != (self._breath_hold is not None):
            self._step_breath_hold(t)     # breathing seen until the lift, then stopped (or back)
        if seat is not None and self._step_seat(t, y, d):
            return self.state
        slope_thr = self._slope_thr
        if slope < -slope_thr:
            if not self._falling:
                self._falling = True
                self._fall_start = t
        else:
            self._falling = False
        if slope > slope_thr:
            if not self._rising:
                self._rising = True
                self._rise_start = t
        else:
            self._rising = False

        raw = kpa - base        # unsmoothed: a cough's spike must not be smeared into a push
        if self._push_state != _PUSH_NONE or raw > self._push_thr:
            self._last_high_t = t
            self._step_push(t, raw)

        state = self.state
        if state == REST:
            if self._settling is not None:
                self._settle_sum += base - y
                self._settle_n += 1
                if t >= self._settle_until:
                    self._finish_lift(t)
            ref = base
            if self._recovering:
                self._ref += (y - self._ref) * (dt / (p.recovery_tau_s + dt))
                ref = self._ref
                if ref >= base - self._lift_thr * 0.5:
                    self._recovering = False
                elif t - self._recover_since > p.recovery_max_s:
                    self.baseline_kpa = base = ref
                    self._recovering = False
            if y - ref < -self._lift_thr:
                if self._cross_t < 0.0:
                    # a lift falls fast (breathing and drift do not), and not back from a spike
                    if self._falling and t - self._last_high_t > p.push_refractory_s:
                        self._cross_t = t
                        self._onset = self._fall_start
                elif t - self._cross_t >= p.lift_confirm_s and (seat is None or not seat.moving):
                    self._start_lift(t)
            else:
                self._cross_t = -1.0
                if not self._recovering and self._push_state == _PUSH_NONE \
                        and -2.0 * self._lift_thr < d < 2.0 * self._lift_thr:
                    k = dt / (p.baseline_tau_s + dt)
                    self.baseline_kpa = base + d * k
                    k = dt / (p.rest_tau_s + dt)
                    self.rest_dev_kpa += ((d if d > 0.0 else -d) - self.rest_dev_kpa) * k
                    self.rest_slope_kpa_s += ((slope if slope > 0.0 else -slope)
                                              - self.rest_slope_kpa_s) * k
                    self._update_thresholds()
            return REST

        drop = base - y
        if t >= self._next_trace_t and self._n_trace < len(self._trace_t):
            self._trace_t[self._n_trace] = t
            self._trace_drop[self._n_trace] = drop
            self._n_trace += 1
            self._next_trace_t = t + p.trace_every_s
        if state != RELEASE:
            if drop > self._peak:
                self._peak = drop
                self._t_peak = t
            if state == LIFT and slope > -slope_thr:
                self.state = HOLD
            if drop < p.release_fraction * self._peak:
                if self._release_since < 0.0:
                    self._release_since = t
                elif t - self._release_since >= p.release_confirm_s:
                    self.state = RELEASE
            else:
                self._release_since = -1.0
            if t - self._lift.start > p.max_lift_s:      # a new resting level, not a hold
                self.baseline_kpa = y
                self._end_lift(t, t)
            return self.state

        if drop <= self._relax_band():
            self._end_lift(t, t)
        elif slope < slope_thr * 0.5:
            if self._plateau_since < 0.0:
                self._plateau_since = t
            elif t - self._plateau_since >= p.end_plateau_s:
                self._end_lift(t, self._plateau_since)
        else:
            self._plateau_since = -1.0
        return self.state

    def _step_push(self, t: float, d: float) -> None:
        p = self.p
        thr = self._push_thr
        if self._push_state == _PUSH_NONE:
            self._push_state = _PUSH_CANDIDATE
            self._push_t = t
            self._push_max = d
            self._push_start = self._rise_start if self._rising else t
            return
        if d > self._push_max:
            self._push_max = d
        if self._push_state == _PUSH_CANDIDATE:
            if d < thr:
                self._push_state = _PUSH_NONE                  # a blip or a cough
            elif (t - self._push_t >= p.push_confirm_s and d >= p.push_keep_fraction * self._push_max
                  or t - self._push_t >= p.push_sustain_s) and (self.seat is None or not self.seat.moving):
                self._push_state = _PUSH_ACTIVE
                self.pushing = True
                self._push_below = -1.0
                self._push = Event(BEAR_DOWN, max(self._t0, self._push_start - p.onset_delay_s), t)
                self._raise(self._push)
            return
        if d < thr * 0.5:
            if self._push_below < 0.0:
                self._push_below = t
            elif t - self._push_below >= p.push_end_s:
                self._end_push(t, self._push_below)
        else:
            self._push_below = -1.0
            if t - self._push.start > p.max_push_s:        # a new resting level, not a push
                self.baseline_kpa = self._y
                self._end_push(t, t)

    def _step_cough(self, t: float, kpa: float, dt: float) -> None:
        """A cough: a spike standing out from the local level that is over within cough_max_s."""
        p = self.p
        above = kpa - self._cough_ref
        thr = max(p.cough_min_kpa, p.cough_k * self.rest_dev_kpa)
        if self._cough_start < 0.0:
            if above > thr:
                self._cough_start = t
                self._cough_peak = above
                self._cough_peak_raw = kpa - self.baseline_kpa
            else:
                self._cough_ref += above * (dt / (p.cough_tau_s + dt))
            return
        if above > self._cough_peak:
            self._cough_peak = above
        if kpa - self.baseline_kpa > self._cough_peak_raw:
            self._cough_peak_raw = kpa - self.baseline_kpa
        if above < 0.5 * thr:
            if t - self._cough_start <= p.cough_max_s:
                self._cough(t)
            self._cough_start = -1.0
        elif t - self._cough_start > p.cough_max_s:   # too long for a cough: a push or a shift
            self._cough_ref = kpa
            self._cough_start = -1.0

    def _cough(self, t: float) -> None:
        start = self._cough_start - self.p.onset_delay_s
        event = Event(COUGH, start, t, end=t, completed_at=t,
                      metrics={"peak_kpa": self._cough_peak, "peak_above_rest_kpa": self._cough_peak_raw,
                               "below_rest": float(self._cough_peak_raw < 0.0)})
        self._raise(event)

    def _step_breath_hold(self, t: float) -> None:
        if self._breath_hold is None:
            self._breath_hold = Event(BREATH_HOLD, self.breath.hold_start, t)
            self._raise(self._breath_hold)
            return
        event = self._breath_hold
        event.end = event.completed_at = t
        event.metrics = {"duration_s": t - event.start}
        self._breath_hold = None
        self._notify(COMPLETED, event)

    def _check_seated(self, t: float) -> bool:
        """Standing up ends the analysis until the user sits down again (then a fresh warm-up)."""
        seat = self.seat
        was = self.seated.seated
        now = self.seated.update(t, seat.load_left_kg, seat.load_right_kg)
        if now != was:
            moving = self._seat_event
            if not now and moving is not None and moving.start >= t - self.seated.confirm_s - 1.0:
                self._retract(moving, STAND_UP)        # that was getting up, not a glute or posture
                self._seat_event = None
            self._raise(Event(SIT_DOWN if now else STAND_UP, t, t, end=t, completed_at=t))
            if now:
                self.restart()
                self.seated.seated = True
        return now

    def _step_seat(self, t: float, y: float, d: float) -> bool:
        """Glute and posture events from the sitting-bone loads; True while one is under way
        (no lift or push is started then)."""
        p, seat = self.p, self.seat
        event = self._seat_event
        if event is None:
            if not seat.moving:
                self._seat_since = -1.0
                return False
            if self._seat_since < 0.0:
                self._seat_since = t
            elif t - self._seat_since >= p.seat_confirm_s:
                dl, dr = seat.left_dev_kg, seat.right_dev_kg
                balanced = dl < 0.0 and dr < 0.0 and max(dl, dr) <= p.glute_balance * min(dl, dr)
                kind = GLUTE if balanced and d < 0.0 else POSTURE
                start = max(self._t0, self._seat_since - 0.1)
                self._drop_lift_since(start - p.seat_lift_lead_s, kind)
                self._seat_event = Event(kind, start, t,
                                         metrics={"unloaded_kg": seat.unloaded_kg,
                                                  "lateral_kg": seat.lateral_kg})
                self._seat_quiet_since = -1.0
                self._raise(self._seat_event)
            return False
        if seat.moving:
            self._seat_quiet_since = -1.0
            return True
        if self._seat_quiet_since < 0.0:
            self._seat_quiet_since = t
        elif t - self._seat_quiet_since >= p.seat_end_s:
            event.end = self._seat_quiet_since
            event.completed_at = t
            self._seat_event = None
            self._seat_since = -1.0
            if event.kind == POSTURE:             # the new posture is the new rest
                self.baseline_kpa = y
            self._cross_t = -1.0
            if self._push_state == _PUSH_CANDIDATE:
                self._push_state = _PUSH_NONE
            self._notify(COMPLETED, event)
        return True

    def _drop_lift_since(self, since: float, kind: str) -> None:
        """A contraction that began with the seat movement was the buttocks or the posture
        (`kind`): it is retracted, and the glute or posture event reports it."""
        lift = self._lift
        if lift is None or lift.start < since:
            return
        self._retract(lift, kind)
        self._lift = None
        self._cross_t = -1.0
        self.state = REST

    # --- transitions (rare: allocation is fine here) --------------------------------------
    def _accumulate_warmup(self, y: float, slope: float) -> None:
        self._sum += y
        self._sum2 += y * y
        self._sum_slope += slope if slope > 0.0 else -slope
        self._n_warm += 1

    def _finish_warmup(self) -> None:
        n = self._n_warm
        mean = self._sum / n
        var = max(0.0, self._sum2 / n - mean * mean)
        self.baseline_kpa = mean
        self.rest_dev_kpa = 0.85 * var ** 0.5          # mean |deviation| of breathing + noise
        self.rest_slope_kpa_s = self._sum_slope / n
        self._update_thresholds()
        self.breath.start(self._t, self._y, self.rest_dev_kpa)
        self.state = REST

    def _update_thresholds(self) -> None:
        p = self.p
        dev = self.rest_dev_kpa
        self._lift_thr = max(p.min_lift_kpa, p.lift_k * dev)
        self._push_thr = max(p.min_push_kpa, p.push_k * dev)
        self._slope_thr = max(p.min_slope_kpa_s, p.slope_k * self.rest_slope_kpa_s)

    def _relax_band(self) -> float:
        return max(0.5 * self._lift_thr, 0.05 * self._peak)

    def _raise(self, event: Event) -> None:
        self.events.append(event)
        self._notify(RAISED, event)

    def _notify(self, change: str, event: Event) -> None:
        self.notices.append(Notice(change, event, self._t))

    def _retract(self, event: Event, what: str) -> None:
        """Later evidence shows `event` was `what`: say so (it stays in `events`)."""
        event.retracted = what
        event.retracted_at = self._t
        self._notify(RETRACTED, event)

    def _start_lift(self, t: float) -> None:
        if self._settling is not None:
            self._finish_lift(t)
        start = max(self._t0, self._onset - self.p.onset_delay_s)
        self._lift = Event(CONTRACTION, start, t)
        self._peak = self.baseline_kpa - self._y
        self._t_peak = t
        self._release_since = self._plateau_since = self._cross_t = -1.0
        self._n_trace = 0
        self._next_trace_t = t
        self.state = LIFT
        self._raise(self._lift)

    def _end_lift(self, t: float, end: float) -> None:
        """The release is over at `end`: back to rest; the residual settles for `settle_s`."""
        event = self._lift
        event.end = end
        self._lift = None
        self._settling = event
        self._settle_until = t + self.p.settle_s
        self._settle_sum = self.baseline_kpa - self._y
        self._settle_n = 1
        self._recovering = True
        self._recover_since = t
        self._ref = self._y
        self._cross_t = -1.0
        self.state = REST

    def _finish_lift(self, t: float) -> None:
        """Metrics are final: the residual is the mean drop since the end."""
        event = self._settling
        residual_kpa = max(0.0, self._settle_sum / self._settle_n)
        event.completed_at = t
        event.metrics = self._lift_metrics(event, event.end, residual_kpa)
        self._settling = None
        self._notify(COMPLETED, event)

    def _end_push(self, t: float, end: float) -> None:
        event = self._push
        event.end = end
        event.completed_at = t
        event.metrics = {"peak_rise_kpa": self._push_max}
        self._push = None
        self._push_state = _PUSH_NONE
        self.pushing = False
        self._notify(COMPLETED, event)

    def _lift_metrics(self, event: Event, end: float, residual_kpa: float) -> dict:
        """Contraction metrics from the decimated trace (see README for definitions)."""
        peak = self._peak
        n = self._n_trace
        times, drops = self._trace_t, self._trace_drop
        reach = first_half = last_half = None
        for i in range(n):
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
            "release_s": max(0.0, end - last_half),
            "residual_kpa": residual_kpa,
            "relaxed_pct": 100.0 * (1.0 - residual_kpa / peak) if peak > 0 else None,
        }

    @property
    def open_lift(self) -> Event | None:
        """The contraction under way (or just ended and settling), if any."""
        return self._lift or self._settling

    # --- end of stream -------------------------------------------------------------------
    def open_events(self) -> list[Event]:
        """Events raised but not yet complete (their `end` is None)."""
        return [e for e in (self._lift, self._settling, self._push, self._seat_event, self._breath_hold)
                if e is not None]
